package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.config.CidrSet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Dns of free URLs, over a resolver that maps test names; no connection is opened and the real DNS is not asked. */
class PolicyDnsTest {

    private static final Map<String, List<String>> NAMES = Map.of(
            "public.test", List.of("93.184.216.34", "2606:2800:220:1::1"),
            "mixed.test", List.of("10.0.0.7", "93.184.216.34", "::1"),
            "private.test", List.of("10.0.0.7", "192.168.1.1", "fd00::1"),
            "metadata.test", List.of("169.254.169.254"),
            "allowed.test", List.of("10.20.0.5"),
            "own.test", List.of("203.0.114.9"));

    private final PolicyDns dns = new PolicyDns(PolicyDnsTest::resolve,
            new AddressPolicy(CidrSet.parse("10.20.0.0/16"), () -> Set.of(address("203.0.114.9"))));

    @Test
    void aNameWithOnlyPublicAddressesKeepsThemAll() throws UnknownHostException {
        assertThat(dns.lookup("public.test")).containsExactly(address("93.184.216.34"), address("2606:2800:220:1::1"));
    }

    @Test
    void deniedAddressesAreRemovedAndTheOthersKept() throws UnknownHostException {
        assertThat(dns.lookup("mixed.test")).containsExactly(address("93.184.216.34"));
    }

    @Test
    void aNameWithOnlyDeniedAddressesIsRefusedWithoutSayingWhatTheyAre() {
        // A dead letter is read by whoever reads the topic: naming the addresses would make Courier a DNS oracle
        // for the internal network ("private.test resolves to 10.0.0.7").
        assertThatThrownBy(() -> dns.lookup("private.test"))
                .isInstanceOf(EgressRefusedException.class)
                .hasMessage("the address policy: private.test resolves only to addresses in the deny set (3 of"
                        + " them), and courier.egress.allow-cidrs does not allow them");
        assertThatThrownBy(() -> dns.lookup("metadata.test")).isInstanceOf(EgressRefusedException.class)
                .hasMessage("the address policy: metadata.test resolves only to addresses in the deny set, and"
                        + " courier.egress.allow-cidrs does not allow it")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("169.254"));
    }

    @Test
    void anAddressInAllowCidrsIsKept() throws UnknownHostException {
        assertThat(dns.lookup("allowed.test")).containsExactly(address("10.20.0.5"));
    }

    @Test
    void anAddressOfThisMachineIsRefused() {
        assertThatThrownBy(() -> dns.lookup("own.test")).isInstanceOf(EgressRefusedException.class)
                .hasMessageContaining("own.test resolves only to addresses in the deny set")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("203.0.114.9"));
    }

    @Test
    void anUnknownNameIsAnUnknownHostNotARefusal() {
        assertThatThrownBy(() -> dns.lookup("nowhere.test")).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(EgressRefusedException.class);
    }

    @Test
    void eachLookupIsJudgedAgainSoARebindingNameIsRefusedTheSecondTime() throws UnknownHostException {
        int[] lookups = {0};
        PolicyDns rebinding = new PolicyDns(host -> List.of(address(lookups[0]++ == 0 ? "93.184.216.34" : "10.0.0.1")),
                new AddressPolicy(CidrSet.empty(), Set::of));

        assertThat(rebinding.lookup("rebind.test")).containsExactly(address("93.184.216.34"));
        assertThatThrownBy(() -> rebinding.lookup("rebind.test")).isInstanceOf(EgressRefusedException.class);
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> literals = NAMES.get(host);
        if (literals == null) {
            throw new UnknownHostException(host);
        }
        return literals.stream().map(PolicyDnsTest::address).toList();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
