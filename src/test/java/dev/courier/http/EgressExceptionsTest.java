package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.CidrSet;
import dev.courier.config.EgressSettings;
import dev.courier.config.HostPatterns;
import dev.courier.config.PortSet;
import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The explicit exceptions to the policy work, and only as far as they say: allow-listed CIDRs, ports and hosts are
 * called; deny-hosts, allow-hosts, https-only and require-target refuse; a named target on a denied address is called
 * because the operator wrote it. Servers on 127.0.0.1 and 127.0.0.2; names from a fixed map.
 */
@Timeout(20)
class EgressExceptionsTest {

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer internal = new MockWebServer();
    private final LoopbackOnlySockets guard = new LoopbackOnlySockets();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        internal.start(InetAddress.getByName("127.0.0.2"), 0);
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        server.close();
        internal.close();
        assertThat(guard.offLoopback()).isEmpty();
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "api.partner.test", "other.test", "api.evil.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "internal.test" -> List.of(InetAddress.getByName("127.0.0.2"));
            default -> throw new UnknownHostException(host);
        };
    }

    private void use(String allowCidrs, String ports, String allowHosts, String denyHosts, boolean requireTarget,
            boolean httpsOnly, TargetSettings... targets) {
        caller = OkHttpCaller.builder(settings().build())
                .egress(new EgressSettings(CidrSet.parse(allowCidrs), PortSet.parse(ports),
                        HostPatterns.parse(allowHosts), HostPatterns.parse(denyHosts), requireTarget, httpsOnly))
                .targets(List.of(targets)).resolver(EgressExceptionsTest::resolve).ownAddresses(Set::of)
                .socketFactory(guard).build();
    }

    private AttemptResult call(String url) {
        return caller.call(get(URI.create(url)).build(), 1);
    }

    private static String refusal(AttemptResult result) {
        assertThat(result).isInstanceOf(Failure.class);
        Failure failure = (Failure) result;
        assertThat(failure.kind()).isEqualTo(Failure.Kind.REFUSED_BY_POLICY);
        return failure.message();
    }

    private static void answered(AttemptResult result, int status) {
        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class,
                response -> assertThat(response.status()).isEqualTo(status));
    }

    @Test
    void anAllowListedCidrAndPortAreCalledByAddressAndByName() {
        use("127.0.0.1/32", "80,443," + server.getPort(), "", "", false, false);
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(204).build());

        answered(call("http://127.0.0.1:" + server.getPort() + "/a"), 200);
        answered(call("http://api.partner.test:" + server.getPort() + "/b"), 204);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aPortRangeOpensEveryPortInIt() {
        use("127.0.0.1/32", "80,443,1024-65535", "", "", false, false);
        server.enqueue(new MockResponse.Builder().code(200).build());

        answered(call("http://127.0.0.1:" + server.getPort() + "/"), 200);
        assertThat(refusal(call("http://127.0.0.1:1023/"))).contains("courier.egress.allowed-ports");
    }

    @Test
    void aPortOutsideTheListIsRefusedEvenOnAnAllowedAddress() {
        use("127.0.0.1/32", "80,443", "", "", false, false);

        assertThat(refusal(call("http://127.0.0.1:" + server.getPort() + "/")))
                .isEqualTo("courier.egress.allowed-ports (80,443) does not include port " + server.getPort()
                        + " of 127.0.0.1");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aHostsVerdictHoldsOnEveryCallWhileItsPortIsJudgedEachTime() {
        use("127.0.0.1/32", "1024-65535", "", "*.evil.test", false, false);
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(201).build());

        for (int i = 0; i < 2; i++) {
            assertThat(refusal(call("http://api.evil.test:" + server.getPort() + "/")))
                    .isEqualTo("courier.egress.deny-hosts (*.evil.test) matches api.evil.test");
            assertThat(refusal(call("http://127.0.0.2:" + internal.getPort() + "/"))).contains("the address policy");
        }
        answered(call("http://127.0.0.1:" + server.getPort() + "/"), 200);
        assertThat(refusal(call("http://127.0.0.1:1023/"))).contains("courier.egress.allowed-ports");
        answered(call("http://127.0.0.1:" + server.getPort() + "/"), 201);
        assertThat(internal.getRequestCount()).isZero();
    }

    @Test
    void allowHostsLetsOnlyItsHostsThroughAndStillAppliesTheAddressPolicy() {
        use("127.0.0.1/32", "1-65535", "*.partner.test,internal.test", "", false, false);
        server.enqueue(new MockResponse.Builder().code(200).build());

        answered(call("http://API.Partner.test:" + server.getPort() + "/"), 200);
        assertThat(refusal(call("http://other.test:" + server.getPort() + "/")))
                .isEqualTo("courier.egress.allow-hosts (internal.test,*.partner.test) does not list other.test");
        assertThat(refusal(call("http://internal.test:" + internal.getPort() + "/")))
                .as("an allowed host name opens no denied address")
                .contains("internal.test resolves only to addresses in the deny set").doesNotContain("127.0.0.2");
        assertThat(internal.getRequestCount()).isZero();
    }

    @Test
    void denyHostsRefusesItsHostsWhateverTheirAddress() {
        use("127.0.0.1/32", "1-65535", "", "*.evil.test", false, false);

        assertThat(refusal(call("http://api.evil.test:" + server.getPort() + "/")))
                .isEqualTo("courier.egress.deny-hosts (*.evil.test) matches api.evil.test");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void httpsOnlyRefusesPlainHttp() {
        use("127.0.0.1/32", "1-65535", "", "", false, true);

        assertThat(refusal(call("http://127.0.0.1:" + server.getPort() + "/"))).contains("courier.egress.https-only");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void requireTargetRefusesFreeUrlsButCallsNamedTargets() {
        TargetSettings target = TargetSettings.of("internal", URI.create("http://127.0.0.2:" + internal.getPort()));
        use("127.0.0.1/32", "1-65535", "", "", true, false, target);
        internal.enqueue(new MockResponse.Builder().code(200).build());

        assertThat(refusal(call("http://127.0.0.1:" + server.getPort() + "/")))
                .contains("courier.egress.require-target");
        answered(caller.call(get(URI.create("http://127.0.0.2:" + internal.getPort() + "/x")).target("internal")
                .build(), 1), 200);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNamedTargetOnADeniedAddressIsCalledButTheSameUrlWithoutTheTargetIsNot() {
        TargetSettings target = TargetSettings.of("internal", URI.create("http://internal.test:" + internal.getPort()));
        use("", "80,443", "", "", false, false, target);
        internal.enqueue(new MockResponse.Builder().code(200).build());
        String url = "http://internal.test:" + internal.getPort() + "/orders";

        answered(caller.call(get(URI.create(url)).target("internal").build(), 1), 200);
        assertThat(refusal(call(url))).contains("courier.egress.allowed-ports");
        assertThat(internal.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aNamedTargetRequestWhoseUrlLeftTheBaseOriginIsJudgedAsAFreeUrl() {
        TargetSettings target = TargetSettings.of("internal", URI.create("http://internal.test:" + internal.getPort()));
        use("", "1-65535", "", "", false, false, target);

        assertThat(refusal(caller.call(get(URI.create("http://127.0.0.2:" + internal.getPort() + "/"))
                .target("internal").build(), 1))).contains("127.0.0.0/8");
        assertThat(internal.getRequestCount()).isZero();
    }
}
