package dev.courier.config;

import java.util.BitSet;
import java.util.Objects;

/**
 * TCP ports (1..65535) written as ports and ranges separated by commas: {@code 80,443}, {@code 80,443,8000-8999},
 * {@code 1-65535} for every port. Immutable and thread-safe.
 */
public final class PortSet {

    private final BitSet ports;
    private final String text;

    private PortSet(BitSet ports, String text) {
        this.ports = ports;
        this.text = text;
    }

    /** @throws IllegalArgumentException saying what the form is */
    public static PortSet parse(String text) {
        BitSet ports = new BitSet(65_536);
        for (String part : text.split(",")) {
            String item = part.trim();
            String[] bounds = item.split("-", -1);
            if (bounds.length > 2 || item.isEmpty()) {
                throw invalid();
            }
            int from = port(bounds[0]);
            int to = bounds.length == 2 ? port(bounds[1]) : from;
            if (to < from) {
                throw invalid();
            }
            ports.set(from, to + 1);
        }
        return new PortSet(ports, text.trim().replaceAll("\\s+", ""));
    }

    public boolean contains(int port) {
        return port >= 0 && port < 65_536 && ports.get(port);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid();
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("must be TCP ports (1 to 65535) and ranges separated by commas, such as"
                + " 80,443 or 80,443,8000-8999");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PortSet that && ports.equals(that.ports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ports);
    }

    @Override
    public String toString() {
        return text;
    }
}
