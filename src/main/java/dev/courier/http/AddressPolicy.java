package dev.courier.http;

import dev.courier.config.CidrSet;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork;
import inet.ipaddr.IPAddressString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Decides whether a free URL may reach an address: the deny set (loopback, private, link-local and cloud metadata,
 * CGNAT, documentation, benchmarking, multicast, reserved and broadcast ranges, NAT64, Teredo, 6to4 relays, ORCHID,
 * SRv6 and discard-only blocks, every IPv4-mapped address, and this machine's own interface addresses) minus the
 * blocks of {@code courier.egress.allow-cidrs}. IPv6 addresses that carry an IPv4
 * address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, 6to4 {@code 2002::/16}) are judged by
 * the IPv4 address inside as well. Thread-safe; the interface addresses are read once, at creation.
 *
 * <p>A verdict never changes (the deny set, the exceptions and the interface addresses are fixed at creation), so the
 * addresses found allowed are remembered, up to {@value #VETTED_KEPT}: {@link #vetted} then answers with a hash
 * lookup what {@link #refusal} answers by walking the deny set. The check of each request's connected address
 * ({@link ConnectedAddressCheck}) is the hot use: its address is almost always one the resolver just vetted.
 */
final class AddressPolicy {

    /** One range of the deny set, with what it is, for the dead letter. */
    private record Range(IPAddress block, String what) {
        static Range of(String cidr, String what) {
            return new Range(new IPAddressString(cidr).getAddress().toPrefixBlock(), what);
        }
    }

    private static final List<Range> DENIED = List.of(
            Range.of("0.0.0.0/8", "\"this network\""),
            Range.of("127.0.0.0/8", "loopback"),
            Range.of("10.0.0.0/8", "private (RFC 1918)"),
            Range.of("172.16.0.0/12", "private (RFC 1918)"),
            Range.of("192.168.0.0/16", "private (RFC 1918)"),
            Range.of("169.254.0.0/16", "link-local, where cloud metadata services answer"),
            Range.of("100.64.0.0/10", "carrier-grade NAT"),
            Range.of("192.0.0.0/24", "IETF protocol assignments"),
            Range.of("192.0.2.0/24", "documentation"),
            Range.of("198.18.0.0/15", "benchmarking"),
            Range.of("198.51.100.0/24", "documentation"),
            Range.of("203.0.113.0/24", "documentation"),
            Range.of("224.0.0.0/4", "multicast"),
            Range.of("240.0.0.0/4", "reserved"),
            Range.of("255.255.255.255/32", "broadcast"),
            Range.of("::/128", "unspecified"),
            Range.of("::1/128", "loopback"),
            Range.of("fe80::/10", "link-local"),
            Range.of("fec0::/10", "site-local"),
            Range.of("fc00::/7", "unique local"),
            Range.of("ff00::/8", "multicast"),
            Range.of("64:ff9b::/96", "NAT64"),
            Range.of("64:ff9b:1::/48", "NAT64 (local use)"),
            Range.of("2001::/32", "Teredo"),
            Range.of("2001:db8::/32", "documentation"),
            Range.of("192.88.99.0/24", "6to4 relay anycast"),
            Range.of("::ffff:0:0/96", "IPv4-mapped"),
            Range.of("100::/64", "discard-only"),
            Range.of("2001:10::/28", "ORCHID"),
            Range.of("2001:20::/28", "ORCHIDv2"),
            Range.of("5f00::/16", "SRv6 SIDs"),
            Range.of("3fff::/20", "documentation"));

    private static final IPAddress IPV4_MAPPED = new IPAddressString("::ffff:0:0/96").getAddress().toPrefixBlock();
    private static final IPAddress IPV4_COMPATIBLE = new IPAddressString("::/96").getAddress().toPrefixBlock();
    private static final IPAddress SIX_TO_FOUR = new IPAddressString("2002::/16").getAddress().toPrefixBlock();
    private static final IPAddressNetwork.IPAddressGenerator ADDRESSES = new IPAddressNetwork.IPAddressGenerator();

    /** Allowed addresses remembered; past it the memory starts again, so a flood of addresses costs walks, not heap. */
    static final int VETTED_KEPT = 4096;

    private final CidrSet allowed;
    private final Set<InetAddress> own;
    /** Addresses {@link #refusal} found allowed: InetAddress equality is the address, without host name or scope. */
    private final Set<InetAddress> vetted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger vettedCount = new AtomicInteger();

    /**
     * @param allowed      blocks let through despite the deny set
     * @param ownAddresses this machine's interface addresses
     */
    AddressPolicy(CidrSet allowed, Supplier<Set<InetAddress>> ownAddresses) {
        this.allowed = allowed;
        this.own = Set.copyOf(ownAddresses.get());
    }

    /** The policy with this machine's interface addresses as they are now. */
    static AddressPolicy create(CidrSet allowed) {
        return new AddressPolicy(allowed, AddressPolicy::interfaceAddresses);
    }

    /**
     * Why {@code address} may not be reached by a free URL, for example {@code 127.0.0.2 is in 127.0.0.0/8
     * (loopback)}, or null when it may.
     */
    String refusal(InetAddress address) {
        String reason = reason(address, true);
        if (reason == null) {
            remember(address);
            return null;
        }
        return address.getHostAddress() + " " + reason;
    }

    /**
     * Whether {@link #refusal} already found {@code address} allowed (so it still is): a hash lookup. False says
     * only that it has not been judged lately; ask {@link #refusal}.
     */
    boolean vetted(InetAddress address) {
        return vetted.contains(address);
    }

    private void remember(InetAddress address) {
        if (vetted.add(address) && vettedCount.incrementAndGet() > VETTED_KEPT) {
            vetted.clear();
            vettedCount.set(0);
        }
    }

    /**
     * @param honourAllowed whether courier.egress.allow-cidrs applies: not to the IPv4 address inside a 6to4 one,
     *                      which is another host's way in
     */
    private String reason(InetAddress address, boolean honourAllowed) {
        InetAddress embedded = embeddedIpv4(address);
        if (honourAllowed && (allowed.contains(address) || (embedded != null && isMappedOrCompatible(address)
                && allowed.contains(embedded)))) {
            return null;
        }
        IPAddress candidate = ADDRESSES.from(address);
        for (Range range : DENIED) {
            if (range.block().getIPVersion() == candidate.getIPVersion() && range.block().contains(candidate)) {
                return "is in " + range.block().toCanonicalString() + " (" + range.what() + ")";
            }
        }
        if (embedded != null) {
            String inner = reason(embedded, false);
            if (inner != null) {
                return "embeds the IPv4 address " + embedded.getHostAddress() + ", which " + inner;
            }
        }
        if (own.contains(withoutScope(address))) {
            return "is an address of this machine";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible or 6to4 address, else null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] bytes = address.getAddress();
        IPAddress candidate = ADDRESSES.from(address);
        try {
            if (IPV4_MAPPED.contains(candidate) || IPV4_COMPATIBLE.contains(candidate)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
            if (SIX_TO_FOUR.contains(candidate)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 2, 6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
        return null;
    }

    private static boolean isMappedOrCompatible(InetAddress address) {
        IPAddress candidate = ADDRESSES.from(address);
        return IPV4_MAPPED.contains(candidate) || IPV4_COMPATIBLE.contains(candidate);
    }

    private static InetAddress withoutScope(InetAddress address) {
        if (address instanceof Inet6Address six && six.getScopeId() != 0) {
            try {
                return InetAddress.getByAddress(six.getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("sixteen bytes are always an IPv6 address", e);
            }
        }
        return address;
    }

    /** Every address of every network interface of this machine, without IPv6 scope ids. */
    static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    addresses.add(withoutScope(address));
                }
            }
        } catch (SocketException e) {
            // No interface list: the deny ranges still apply; a public address of this machine is then not known.
        }
        return addresses;
    }
}
