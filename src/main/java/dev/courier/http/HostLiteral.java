package dev.courier.http;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What a URL's host is, as OkHttp will use it: a name (resolved through the {@code Dns}, where the address policy
 * applies), or an IP address written out, which OkHttp connects to without asking the {@code Dns}, so it must be
 * judged before the call. Hosts that a URL parser or resolver somewhere may read as an IPv4 address although they
 * are not four decimal numbers ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1},
 * {@code 127.0.0.1.}) are {@link Kind#AMBIGUOUS}: readers disagree on them, so they are refused whatever they mean.
 *
 * @param kind    which of these the host is
 * @param address the address, for {@link Kind#IPV4} and {@link Kind#IPV6}; for {@link Kind#AMBIGUOUS} the address
 *                that {@code inet_aton} reads, when it reads one; else null
 */
record HostLiteral(Kind kind, InetAddress address) {

    enum Kind { NAME, IPV4, IPV6, AMBIGUOUS }

    /** One to four parts of decimal, octal (leading 0) or hex (0x) numbers, with at most one trailing dot. */
    private static final Pattern NUMERIC = Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");
    private static final Pattern CANONICAL_IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** @param host a host as OkHttp's {@code HttpUrl.host()} gives it: lower case, IPv6 without brackets */
    static HostLiteral of(String host) {
        if (host.indexOf(':') >= 0) {
            IPAddress address = new IPAddressString(host).getAddress();
            return address == null ? new HostLiteral(Kind.AMBIGUOUS, null)
                    : new HostLiteral(Kind.IPV6, toInet(address.getBytes()));
        }
        if (CANONICAL_IPV4.matcher(host).matches()) {
            return new HostLiteral(Kind.IPV4, toInet(new IPAddressString(host).getAddress().getBytes()));
        }
        if (NUMERIC.matcher(host).matches() || host.matches("[0-9.]+")) {
            return new HostLiteral(Kind.AMBIGUOUS, inetAton(host));
        }
        return new HostLiteral(Kind.NAME, null);
    }

    /** The address {@code inet_aton} (and so glibc, and browsers' URL parsers) reads in {@code host}, or null. */
    static InetAddress inetAton(String host) {
        String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = text.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                String part = parts[i].toLowerCase(java.util.Locale.ROOT);
                if (part.startsWith("0x")) {
                    values[i] = part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
                } else if (part.length() > 1 && part.startsWith("0")) {
                    values[i] = Long.parseLong(part.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(part);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long value = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            value |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            return null;
        }
        value |= last;
        return toInet(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static InetAddress toInet(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
