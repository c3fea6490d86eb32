package dev.courier.config;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Address blocks written in CIDR notation and separated by commas: {@code 127.0.0.1/32,10.20.0.0/16,fd12::/64}.
 * A bare address is a block of one ({@code /32} or {@code /128}). Only the plain forms are accepted: four decimal
 * numbers for IPv4, RFC 4291 text for IPv6; {@code 127.1} or {@code 0x7f.0.0.1} are refused. Immutable and
 * thread-safe.
 */
public final class CidrSet {

    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false).allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false)
            .allowWildcardedSeparator(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false).allowWildcardedSeparator(false).getParentBuilder()
            .toParams();
    private static final IPAddressNetwork.IPAddressGenerator ADDRESSES = new IPAddressNetwork.IPAddressGenerator();

    private static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<IPAddress> blocks;

    private CidrSet(List<IPAddress> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static CidrSet empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException naming the block that is not a CIDR block */
    public static CidrSet parse(String text) {
        List<IPAddress> blocks = new ArrayList<>();
        if (text.isBlank()) {
            return EMPTY;
        }
        for (String part : text.split(",")) {
            blocks.add(block(part.trim()));
        }
        return new CidrSet(blocks);
    }

    /** One block such as {@code 10.0.0.0/8} or {@code ::1}; host bits beyond the prefix are ignored. */
    static IPAddress block(String text) {
        IPAddress address = text.isEmpty() ? null : new IPAddressString(text, STRICT).getAddress();
        if (address == null) {
            throw new IllegalArgumentException("has \"" + text + "\", which is not an address block in CIDR"
                    + " notation such as 10.0.0.0/8, 127.0.0.1/32 or fd00::/8");
        }
        return address.isPrefixed() ? address.toPrefixBlock() : address;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code address} lies in one of the blocks (IPv4 blocks hold only IPv4 addresses, IPv6 only IPv6). */
    public boolean contains(InetAddress address) {
        IPAddress candidate = ADDRESSES.from(address);
        for (IPAddress block : blocks) {
            if (block.getIPVersion() == candidate.getIPVersion() && block.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrSet that && blocks.equals(that.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    /** The blocks as they are matched, e.g. {@code 127.0.0.1/32,10.0.0.0/8}. */
    @Override
    public String toString() {
        return blocks.stream().map(IPAddress::toCanonicalString).collect(Collectors.joining(","));
    }
}
