package dev.courier.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The parsers behind the setting types; each failure message says what is allowed. */
final class ValueParsers {

    private ValueParsers() {
    }

    static ValueParser<String> text() {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return text.trim();
        };
    }

    /** Text of printable ASCII (a value sent in an HTTP form or header). */
    static ValueParser<String> printableText() {
        return text -> {
            String value = text.trim();
            if (value.isEmpty() || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                throw new IllegalArgumentException("must be non-empty printable ASCII");
            }
            return value;
        };
    }

    /** OAuth2 scopes (RFC 6749 3.3): tokens of printable ASCII but space, {@code "} and {@code \}, space-separated. */
    static ValueParser<String> oauth2Scope() {
        return text -> {
            String value = text.trim().replaceAll(" +", " ");
            if (value.isEmpty() || !value.matches("[\\x21\\x23-\\x5b\\x5d-\\x7e]+( [\\x21\\x23-\\x5b\\x5d-\\x7e]+)*")) {
                throw new IllegalArgumentException("must be scopes separated by spaces, each of printable ASCII without"
                        + " \" or \\");
            }
            return value;
        };
    }

    static ValueParser<Integer> integer(int min, int max) {
        return text -> {
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be an integer between " + min + " and " + max);
        };
    }

    static ValueParser<Boolean> bool() {
        return text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    static ValueParser<Duration> duration(Duration min, Duration max) {
        return text -> {
            Duration value = null;
            try {
                value = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                // reported below, with the range
            }
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be a duration between " + Durations.format(min) + " and "
                        + Durations.format(max) + ", such as 500ms, 30s or 5m");
            }
            return value;
        };
    }

    /** An absolute http or https URL without credentials, query or fragment. */
    static ValueParser<URI> httpUrl() {
        return text -> {
            URI url;
            try {
                url = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("must be an absolute http or https URL (" + e.getReason() + ")");
            }
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute http or https URL such as https://api.example.com");
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("must not carry credentials; use the matching username and password settings");
            }
            if (url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("must not have a query or fragment");
            }
            return url;
        };
    }

    /** A byte count such as {@code 512}, {@code 64KiB}, {@code 1MiB}, within {@code [min, max]}. */
    static ValueParser<Long> dataSize(long min, long max) {
        return text -> {
            long value = -1;
            try {
                value = DataSizes.parse(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                // reported below, with the range
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be a size between " + DataSizes.format(min) + " and "
                        + DataSizes.format(max) + ", such as 512, 64KiB or 1MiB");
            }
            return value;
        };
    }

    /** Events per second, a decimal number from 0 (no limit) to {@code max}. */
    static ValueParser<Double> rate(double max) {
        return text -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (value >= 0 && value <= max && Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be a number of events per second from 0 (no limit) to " + (long) max);
        };
    }

    /** Events per second, a decimal number above 0 and up to {@code max}. */
    static ValueParser<Double> positiveRate(double max) {
        return text -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (value > 0 && value <= max && Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be a number of events per second above 0 and up to " + (long) max);
        };
    }

    /** A decimal number from {@code min} to {@code max}. */
    static ValueParser<Double> decimal(double min, double max) {
        return text -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be a decimal number from " + min + " to " + max);
        };
    }

    /** {@code key=rate} pairs separated by commas, e.g. {@code api.example.com=50,mail.example.com=2.5}. */
    static ValueParser<java.util.Map<String, Double>> rates(double max) {
        ValueParser<Double> rate = rate(max);
        return text -> {
            java.util.Map<String, Double> rates = new java.util.LinkedHashMap<>();
            if (text.isBlank()) {
                return rates;
            }
            for (String pair : text.split(",")) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || pair.substring(0, equals).isBlank()) {
                    throw new IllegalArgumentException("must be key=rate pairs separated by commas, such as"
                            + " api.example.com=50,mail.example.com=2.5");
                }
                try {
                    rates.put(pair.substring(0, equals).trim(), rate.parse(pair.substring(equals + 1)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("has \"" + pair.trim() + "\", whose rate " + e.getMessage());
                }
            }
            return rates;
        };
    }

    static ValueParser<CidrSet> cidrs() {
        return CidrSet::parse;
    }

    static ValueParser<PortSet> ports() {
        return PortSet::parse;
    }

    static ValueParser<HostPatterns> hosts() {
        return HostPatterns::parse;
    }

    /** Names separated by commas, compared ignoring case: kept lower-cased. */
    static ValueParser<java.util.Set<String>> names() {
        return text -> {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (String part : text.split(",")) {
                String name = part.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return java.util.Collections.unmodifiableSet(names);
        };
    }

    /** HTTP header names separated by commas, compared ignoring case: kept lower-cased. */
    static ValueParser<java.util.Set<String>> headerNames() {
        return text -> {
            java.util.Set<String> names = names().parse(text);
            for (String name : names) {
                if (!isHeaderName(name)) {
                    throw new IllegalArgumentException("must be HTTP header names separated by commas; \"" + name
                            + "\" is not one");
                }
            }
            return names;
        };
    }

    /** {@code bearer}, {@code basic} or {@code header:NAME} with NAME an HTTP header name. */
    static ValueParser<TargetAuth.Method> authMethod() {
        return text -> {
            String value = text.trim();
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("bearer")) {
                return new TargetAuth.Method(TargetAuth.Scheme.BEARER, "Authorization");
            }
            if (lower.equals("basic")) {
                return new TargetAuth.Method(TargetAuth.Scheme.BASIC, "Authorization");
            }
            if (lower.startsWith("header:") && isHeaderName(value.substring("header:".length()))) {
                return new TargetAuth.Method(TargetAuth.Scheme.HEADER, value.substring("header:".length()));
            }
            if (lower.equals("oauth2")) {
                return new TargetAuth.Method(TargetAuth.Scheme.OAUTH2, "Authorization");
            }
            throw new IllegalArgumentException("must be bearer, basic, header:NAME with NAME a header name such as"
                    + " X-Api-Key, or oauth2");
        };
    }

    /** A path to a file that exists and can be read now. */
    static ValueParser<java.nio.file.Path> readableFile() {
        return text -> {
            java.nio.file.Path path;
            try {
                path = java.nio.file.Path.of(text.trim());
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException("is not a file path");
            }
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
                throw new IllegalArgumentException("must be a file that exists and can be read");
            }
            return path;
        };
    }

    /** An HTTP token (RFC 9110): letters, digits and {@code !#$%&'*+-.^_`|~}. */
    static boolean isHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    static ValueParser<StatusSet> statuses() {
        return StatusSet::parse;
    }

    /** An IPv4 or IPv6 address literal (no host name: the admin server binds before any lookup would help). */
    static ValueParser<String> ipAddress() {
        return IpLiteral::parse;
    }

    static <E extends Enum<E>> ValueParser<E> oneOf(Class<E> type) {
        return text -> {
            for (E constant : type.getEnumConstants()) {
                if (label(constant).equals(text.trim())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be one of " + labels(type));
        };
    }

    /** Enum constants are written in settings lower-case with dashes: {@code AT_LEAST_ONCE} is {@code at-least-once}. */
    static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String labels(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ValueParsers::label).collect(Collectors.joining("|"));
    }
}
