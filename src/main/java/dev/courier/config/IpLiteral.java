package dev.courier.config;

import inet.ipaddr.IPAddressString;

/** IP address literals in settings (the admin server's bind address): IPv4 or IPv6, never a host name. */
final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not an IP address literal
     */
    static String parse(String text) {
        String address = text.trim();
        IPAddressString parsed = new IPAddressString(address);
        if (!parsed.isIPAddress() || parsed.isPrefixed()) {
            throw new IllegalArgumentException("must be an IP address such as 0.0.0.0, 127.0.0.1 or ::");
        }
        return address;
    }
}
