package dev.courier.config;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Host names, each exact ({@code api.example.com}) or a wildcard of the subdomains of a name
 * ({@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com}, not {@code example.com}),
 * separated by commas. Names are compared in ASCII lower case: international names as punycode
 * ({@code bücher.example} is {@code xn--bcher-kva.example}), without a trailing dot. Immutable and thread-safe.
 */
public final class HostPatterns {

    private static final HostPatterns EMPTY = new HostPatterns(List.of(), List.of());

    private final List<String> exact;
    /** The suffixes of the wildcards, with their leading dot: {@code .example.com}. */
    private final List<String> suffixes;

    private HostPatterns(List<String> exact, List<String> suffixes) {
        this.exact = List.copyOf(exact);
        this.suffixes = List.copyOf(suffixes);
    }

    public static HostPatterns empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException naming the pattern that is not a host name or {@code *.} wildcard */
    public static HostPatterns parse(String text) {
        if (text.isBlank()) {
            return EMPTY;
        }
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String part : text.split(",")) {
            String pattern = part.trim();
            boolean wildcard = pattern.startsWith("*.");
            String name = canonical(wildcard ? pattern.substring(2) : pattern);
            if (name == null || name.contains("*")) {
                throw new IllegalArgumentException("has \"" + pattern + "\", which is neither a host name nor a"
                        + " wildcard such as *.example.com");
            }
            if (wildcard) {
                suffixes.add("." + name);
            } else {
                exact.add(name);
            }
        }
        return new HostPatterns(exact, suffixes);
    }

    /**
     * The form names are compared in: punycode, lower case, no trailing dot; null when {@code host} is not a
     * host name.
     */
    public static String canonical(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            return null;
        }
        try {
            name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return name.matches("[a-z0-9*_.-]+") && !name.contains("..") ? name : null;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty();
    }

    /** Whether {@code host} (in any case, punycode or Unicode) matches one of the patterns. */
    public boolean matches(String host) {
        String name = canonical(host);
        if (name == null) {
            return false;
        }
        if (exact.contains(name)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostPatterns that && exact.equals(that.exact) && suffixes.equals(that.suffixes);
    }

    @Override
    public int hashCode() {
        return exact.hashCode() * 31 + suffixes.hashCode();
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        suffixes.forEach(suffix -> all.add("*" + suffix));
        return String.join(",", all);
    }
}
