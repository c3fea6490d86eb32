package dev.courier.config;

import java.util.BitSet;
import java.util.Objects;

/**
 * A set of HTTP status codes (100..599), written as codes and ranges: {@code 200-299},
 * {@code 408,425,429,500-504}. Immutable.
 */
public final class StatusSet {

    private final BitSet codes;
    private final String text;

    private StatusSet(BitSet codes, String text) {
        this.codes = codes;
        this.text = text;
    }

    /** @throws IllegalArgumentException saying what the form is */
    public static StatusSet parse(String text) {
        BitSet codes = new BitSet(600);
        for (String part : text.split(",")) {
            String item = part.trim();
            String[] bounds = item.split("-", -1);
            if (bounds.length > 2 || item.isEmpty()) {
                throw invalid();
            }
            int from = code(bounds[0]);
            int to = bounds.length == 2 ? code(bounds[1]) : from;
            if (to < from) {
                throw invalid();
            }
            codes.set(from, to + 1);
        }
        return new StatusSet(codes, text.trim().replaceAll("\\s+", ""));
    }

    public boolean contains(int status) {
        return status >= 0 && codes.get(status);
    }

    private static int code(String text) {
        try {
            int code = Integer.parseInt(text.trim());
            if (code >= 100 && code <= 599) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid();
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("must be HTTP status codes (100 to 599) and ranges, such as 200-299 or 429,500-504");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatusSet that && codes.equals(that.codes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codes);
    }

    @Override
    public String toString() {
        return text;
    }
}
