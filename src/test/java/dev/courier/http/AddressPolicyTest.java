package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.CidrSet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The deny set, address by address, with no connection and no lookup: every range of issue 10 and its exceptions. */
class AddressPolicyTest {

    private static final InetAddress OWN = address("203.0.114.9");
    private final AddressPolicy policy = new AddressPolicy(CidrSet.empty(), () -> Set.of(OWN));

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0         | 0.0.0.0/8",
        "0.255.1.2       | 0.0.0.0/8",
        "127.0.0.1       | 127.0.0.0/8 (loopback)",
        "127.255.255.254 | 127.0.0.0/8 (loopback)",
        "10.0.0.1        | 10.0.0.0/8 (private",
        "172.16.0.1      | 172.16.0.0/12 (private",
        "172.31.255.255  | 172.16.0.0/12",
        "192.168.0.1     | 192.168.0.0/16",
        "169.254.169.254 | 169.254.0.0/16 (link-local, where cloud metadata",
        "100.64.0.1      | 100.64.0.0/10 (carrier-grade NAT)",
        "100.127.255.254 | 100.64.0.0/10",
        "192.0.0.8       | 192.0.0.0/24",
        "192.0.2.10      | 192.0.2.0/24 (documentation)",
        "198.18.0.1      | 198.18.0.0/15 (benchmarking)",
        "198.19.255.1    | 198.18.0.0/15",
        "198.51.100.7    | 198.51.100.0/24",
        "203.0.113.7     | 203.0.113.0/24",
        "224.0.0.251     | 224.0.0.0/4 (multicast)",
        "239.255.255.250 | 224.0.0.0/4",
        "240.0.0.1       | 240.0.0.0/4 (reserved)",
        "255.255.255.255 | 240.0.0.0/4",
        "::              | ::/128 (unspecified)",
        "::1             | ::1/128 (loopback)",
        "fe80::1         | fe80::/10 (link-local)",
        "febf::1         | fe80::/10",
        "fec0::1         | fec0::/10",
        "fc00::1         | fc00::/7 (unique local)",
        "fd00::2         | fc00::/7",
        "ff02::1         | ff00::/8 (multicast)",
        "64:ff9b::a00:1  | 64:ff9b::/96 (NAT64)",
        "64:ff9b:1::1    | 64:ff9b:1::/48",
        "2001::1         | 2001::/32 (Teredo)",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | 2001::/32 (Teredo)",
        "2001:db8::1     | 2001:db8::/32 (documentation)",
        "::7f00:1        | embeds the IPv4 address 127.0.0.1, which is in 127.0.0.0/8",
        "::a9fe:a9fe     | embeds the IPv4 address 169.254.169.254",
        "2002:7f00:1::1  | embeds the IPv4 address 127.0.0.1",
        "2002:a00:1::    | embeds the IPv4 address 10.0.0.1",
        "2002:c0a8:101:: | embeds the IPv4 address 192.168.1.1",
        "203.0.114.9     | is an address of this machine",
        "192.88.99.1     | 192.88.99.0/24 (6to4 relay anycast)",
        "100::1          | 100::/64 (discard-only)",
        "2001:10::1      | 2001:10::/28 (ORCHID)",
        "2001:1f::1      | 2001:10::/28",
        "2001:20::1      | 2001:20::/28 (ORCHIDv2)",
        "5f00::1         | 5f00::/16 (SRv6 SIDs)",
        "3fff::1         | 3fff::/20 (documentation)",
        "3fff:fff::1     | 3fff::/20",
    })
    void aDeniedAddressIsRefusedWithTheRangeItIsIn(String literal, String reason) {
        assertThat(policy.refusal(address(literal))).contains(reason);
    }

    @Test
    void anIpv4MappedAddressIsJudgedAsTheIpv4AddressInside() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169,
            (byte) 254};
        // Java turns an IPv4-mapped address into the IPv4 one; the policy judges it so either way.
        assertThat(policy.refusal(InetAddress.getByAddress(mapped))).contains("169.254.0.0/16");
    }

    @Test
    void everyIpv4MappedAddressIsRefusedEvenOfAPublicAddress() throws UnknownHostException {
        // Java turns ::ffff:a.b.c.d into a.b.c.d; a resolver or a literal in another library may not, and a mapped
        // address reaches the IPv4 host through the IPv6 stack: ::ffff:0:0/96 is in the deny set as a block.
        java.net.Inet6Address mapped = java.net.Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, (byte) 0xff, (byte) 0xff, 93, (byte) 184, (byte) 216, 34}, -1);
        assertThat(policy.refusal(mapped)).contains("::ffff:0:0/96 (IPv4-mapped)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
        "2a00:1450:4001::1", "2002:5db8:d822::1", "192.0.1.1",
        "192.88.98.1", "192.88.100.1", "100:0:0:1::1", "2001:30::1", "5eff::1", "3fff:1000::1", "2001:db9::1"})
    void aPublicAddressIsAllowed(String literal) {
        assertThat(policy.refusal(address(literal))).isNull();
    }

    @Test
    void allowCidrsOpenExactlyTheirBlocks() {
        AddressPolicy open = new AddressPolicy(CidrSet.parse("127.0.0.1/32,10.20.0.0/16,fd00::/8"), Set::of);

        assertThat(open.refusal(address("127.0.0.1"))).isNull();
        assertThat(open.refusal(address("::7f00:1"))).as("IPv4-compatible 127.0.0.1").isNull();
        assertThat(open.refusal(address("10.20.3.4"))).isNull();
        assertThat(open.refusal(address("fd00::2"))).isNull();
        assertThat(open.refusal(address("127.0.0.2"))).contains("127.0.0.0/8");
        assertThat(open.refusal(address("10.21.0.1"))).contains("10.0.0.0/8");
        assertThat(open.refusal(address("::1"))).contains("::1/128");
        assertThat(open.refusal(address("2002:7f00:1::1"))).as("6to4 is not the IPv4 address itself")
                .contains("embeds the IPv4 address 127.0.0.1");
    }

    @Test
    void anAddressFoundAllowedIsRememberedAsVettedAndADeniedOneNever() {
        AddressPolicy fresh = new AddressPolicy(CidrSet.empty(), Set::of);
        InetAddress open = address("93.184.216.34");
        InetAddress closed = address("10.0.0.1");

        assertThat(fresh.vetted(open)).as("before any verdict").isFalse();
        assertThat(fresh.refusal(open)).isNull();
        assertThat(fresh.vetted(open)).as("after it was found allowed").isTrue();
        assertThat(fresh.vetted(address("93.184.216.35"))).as("another address").isFalse();
        assertThat(fresh.refusal(closed)).isNotNull();
        assertThat(fresh.vetted(closed)).as("a refused address").isFalse();
    }

    @Test
    void theVettedAddressesAreBounded() throws UnknownHostException {
        AddressPolicy fresh = new AddressPolicy(CidrSet.empty(), Set::of);
        InetAddress first = address("93.184.0.0");
        fresh.refusal(first);
        for (int i = 1; i <= AddressPolicy.VETTED_KEPT; i++) {
            fresh.refusal(InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) (i >> 8), (byte) i}));
        }

        assertThat(fresh.vetted(first)).as("forgotten once more than the bound were found allowed").isFalse();
        assertThat(fresh.refusal(first)).as("and judged again in full").isNull();
        assertThat(fresh.vetted(first)).isTrue();
    }

    @Test
    void thisMachinesInterfaceAddressesIncludeItsLoopback() {
        assertThat(AddressPolicy.interfaceAddresses()).contains(address("127.0.0.1"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal.trim()); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
