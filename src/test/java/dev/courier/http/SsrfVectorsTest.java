package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF vectors an event can try, each through the dispatcher and the real HTTP caller with the policy on and only
 * 127.0.0.1/32 allowed: every one ends as a {@code POLICY_REFUSED} dead letter after one attempt (it is final, never
 * retried), and the listeners on the denied loopback addresses (127.0.0.2, and ::1 where the machine has it) take no
 * connection. Names resolve through a fixed map, never the real DNS; the socket factory refuses any address off
 * the machine, so even a wrong policy sends nothing anywhere but loopback.
 */
@Timeout(120)
class SsrfVectorsTest {

    private static final InetAddress DENIED = address("127.0.0.2");
    private static final InetAddress IPV6_LOOPBACK = address("::1");
    /** Not a real address of this machine: the test tells the policy it is one. */
    private static final InetAddress OWN = address("93.184.216.34");

    private static CountingListener denied;
    private static CountingListener deniedIpv6;
    private static MockWebServer allowed;
    private static LoopbackOnlySockets guard;
    private static OkHttpCaller caller;
    private static Dispatcher<String> dispatcher;
    private static final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private static final Map<String, List<AttemptResult>> attempts = new ConcurrentHashMap<>();
    private static final AtomicInteger rebindLookups = new AtomicInteger();
    private static int port;
    private static int ipv6Port;

    @BeforeAll
    static void start() throws Exception {
        denied = CountingListener.on(DENIED);
        deniedIpv6 = CountingListener.canListenOn(IPV6_LOOPBACK) ? CountingListener.on(IPV6_LOOPBACK) : null;
        port = denied.port();
        ipv6Port = deniedIpv6 != null ? deniedIpv6.port() : port;
        allowed = new MockWebServer();
        allowed.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String target = request.getUrl().queryParameter("to");
                return target == null ? new MockResponse.Builder().code(200).body("ok").build()
                        : new MockResponse.Builder().code(302).addHeader("Location", target).build();
            }
        });
        allowed.start(address("127.0.0.1"), 0);
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.egress.allow-cidrs", "127.0.0.1/32",
                "courier.egress.allowed-ports", "80,443," + port + "," + ipv6Port + "," + allowed.getPort(),
                "courier.http.follow-redirects", "true",
                "courier.retry.max-attempts", "3",
                "courier.retry.backoff-initial", "1ms",
                "courier.retry.backoff-max", "2ms",
                "courier.workers", "4")));
        guard = new LoopbackOnlySockets();
        caller = OkHttpCaller.builder(settings.http()).egress(settings.egress()).resolver(SsrfVectorsTest::resolve)
                .ownAddresses(() -> Set.of(OWN)).socketFactory(guard).concurrency(4).build();
        dispatcher = Dispatcher.start(settings, caller, new DispatchListener<>() {
            @Override
            public void onOutcome(String id, DispatchRequest request, Outcome outcome) {
                outcomes.computeIfAbsent(id, key -> new CompletableFuture<>()).complete(outcome);
            }

            @Override
            public void onAttempt(String id, DispatchRequest request, int attempt, AttemptResult result) {
                attempts.computeIfAbsent(id, key -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(result);
            }
        }, Clock.systemUTC());
        // The first resolution of rebind.test is allowed (127.0.0.1) and is used; its later ones are private.
        Outcome warmUp = dispatch("warm-up", "http://rebind.test:" + allowed.getPort() + "/");
        assertThat(warmUp).as("the first resolution of rebind.test reaches the allowed server")
                .isInstanceOf(Outcome.Result.class);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            assertThat(denied.accepted()).as("connections to 127.0.0.2 over all vectors").isZero();
            if (deniedIpv6 != null) {
                assertThat(deniedIpv6.accepted()).as("connections to ::1 over all vectors").isZero();
            }
            assertThat(guard.offLoopback()).as("connections attempted off the machine").isEmpty();
        } finally {
            dispatcher.close();
            denied.close();
            if (deniedIpv6 != null) {
                deniedIpv6.close();
            }
            allowed.close();
        }
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "loopback.test" -> List.of(DENIED);
            case "ipv6-loopback.test" -> List.of(IPV6_LOOPBACK);
            case "both-loopbacks.test" -> List.of(DENIED, IPV6_LOOPBACK);
            case "metadata.test" -> List.of(address("169.254.169.254"));
            case "private.test" -> List.of(address("10.1.2.3"), address("192.168.0.10"), address("172.20.0.1"));
            case "mapped.test" -> List.of(InetAddress.getByAddress(host,
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 2}));
            case "nat64.test" -> List.of(address("64:ff9b::7f00:2"));
            // an IPv4-mapped IPv6 address kept as IPv6 (as another resolver may return it), of a public address
            case "mapped-public.test" -> List.of(java.net.Inet6Address.getByAddress(host,
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8}, -1));
            case "own.test" -> List.of(OWN);
            case "rebind.test" -> rebindLookups.incrementAndGet() == 1 ? List.of(address("127.0.0.1")) : List.of(DENIED);
            default -> throw new UnknownHostException(host + " (the test resolver knows no such name)");
        };
    }

    static Stream<Arguments> vectors() {
        List<Arguments> vectors = new ArrayList<>();
        String p = ":" + port;
        String p6 = ":" + ipv6Port;
        // 127.0.0.2 in every spelling a URL parser or resolver may accept
        vector(vectors, "dotted decimal", "http://127.0.0.2" + p + "/");
        vector(vectors, "one decimal number", "http://2130706434" + p + "/");
        vector(vectors, "one hex number", "http://0x7f000002" + p + "/");
        vector(vectors, "hex first part", "http://0x7f.0.0.2" + p + "/");
        vector(vectors, "every part hex", "http://0x7F.0x00.0x00.0x02" + p + "/");
        vector(vectors, "octal first part", "http://0177.0.0.2" + p + "/");
        vector(vectors, "octal parts", "http://0177.0.0.02" + p + "/");
        vector(vectors, "leading zeros", "http://127.000.000.002" + p + "/");
        vector(vectors, "two parts", "http://127.2" + p + "/");
        vector(vectors, "three parts", "http://127.0.2" + p + "/");
        vector(vectors, "hex two parts", "http://0x7f.2" + p + "/");
        vector(vectors, "trailing dot", "http://127.0.0.2." + p + "/");
        vector(vectors, "percent-encoded host", "http://%31%32%37.0.0.2" + p + "/");
        vector(vectors, "ideographic full stops", "http://127\u30020\u30020\u30022" + p + "/");
        vector(vectors, "circled digits", "http://\u2460\u2461\u2466.0.0.2" + p + "/");
        vector(vectors, "IPv4-mapped IPv6", "http://[::ffff:127.0.0.2]" + p + "/");
        vector(vectors, "IPv4-mapped IPv6 in hex", "http://[::ffff:7f00:2]" + p + "/");
        vector(vectors, "IPv4-mapped IPv6 written out", "http://[0:0:0:0:0:ffff:7f00:2]" + p + "/");
        vector(vectors, "IPv4-compatible IPv6", "http://[::127.0.0.2]" + p + "/");
        vector(vectors, "6to4 carrying 127.0.0.2", "http://[2002:7f00:2::1]" + p + "/");
        vector(vectors, "NAT64 of 127.0.0.2", "http://[64:ff9b::7f00:2]" + p + "/");
        vector(vectors, "userinfo before a denied host", "http://allowed.example@127.0.0.2" + p + "/");
        vector(vectors, "fragment that looks like userinfo", "http://127.0.0.2" + p + "#@allowed.example/");
        vector(vectors, "two at-signs", "http://a@allowed.example@127.0.0.2" + p + "/");
        vector(vectors, "https to a denied address", "https://127.0.0.2" + p + "/");
        // ::1 in its spellings
        vector(vectors, "IPv6 loopback", "http://[::1]" + p6 + "/");
        vector(vectors, "IPv6 loopback written out", "http://[0:0:0:0:0:0:0:1]" + p6 + "/");
        vector(vectors, "IPv6 loopback with a zone id", "http://[::1%25lo]" + p6 + "/");
        vector(vectors, "link-local with a zone id", "http://[fe80::1%25eth0]" + p + "/");
        vector(vectors, "unspecified IPv4", "http://0.0.0.0" + p + "/");
        vector(vectors, "unspecified IPv4 as one number", "http://0" + p + "/");
        vector(vectors, "unspecified IPv6", "http://[::]" + p + "/");
        // one address of each range of the deny set, as a literal
        for (String literal : List.of("10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "224.0.0.1",
                "240.0.0.1", "255.255.255.255", "[fe80::1]", "[fec0::1]", "[fc00::1]", "[fd12:3456::1]", "[ff02::1]",
                "[64:ff9b:1::1]", "[2001::1]", "[2001:db8::1]", "[2002:a00:1::1]",
                // issue 23: 6to4 relays, discard-only, ORCHID, ORCHIDv2, SRv6, the new documentation block
                "192.88.99.1", "[100::1]", "[2001:10::1]", "[2001:20::1]", "[5f00::1]", "[3fff::1]")) {
            vector(vectors, "literal " + literal, "http://" + literal + p + "/");
        }
        vector(vectors, "this machine's own address", "http://93.184.216.34" + p + "/");
        // names the resolver maps to denied addresses
        vector(vectors, "a name for 127.0.0.2", "http://loopback.test" + p + "/");
        vector(vectors, "a name for ::1", "http://ipv6-loopback.test" + p6 + "/");
        vector(vectors, "a name for both loopbacks", "http://both-loopbacks.test" + p + "/");
        vector(vectors, "a name for the metadata service", "http://metadata.test" + p + "/latest/meta-data/");
        vector(vectors, "a name for private addresses only", "http://private.test" + p + "/");
        vector(vectors, "a name for an IPv4-mapped address", "http://mapped.test" + p + "/");
        vector(vectors, "a name for a NAT64 address", "http://nat64.test" + p + "/");
        vector(vectors, "a name for an IPv4-mapped IPv6 address of a public host", "http://mapped-public.test" + p + "/");
        vector(vectors, "a name for this machine's address", "http://own.test" + p + "/");
        vector(vectors, "a name whose second resolution is private", "http://rebind.test" + p + "/");
        // ports: the allowed address, a port not allowed (the dead-letter categories as a port scanner)
        vector(vectors, "the allowed address on the SSH port", "http://127.0.0.1:22/");
        // redirects from the allowed server to denied destinations
        for (String to : List.of("http://127.0.0.2" + p + "/", "http://2130706434" + p + "/",
                "http://loopback.test" + p + "/", "http://[::1]" + p6 + "/", "http://169.254.169.254/latest/",
                "http://127.0.0.1:22/")) {
            vector(vectors, "a redirect to " + to, redirect(to));
        }
        vector(vectors, "two redirects, then a denied address", redirect(redirect("http://127.0.0.2" + p + "/")));
        return vectors.stream();
    }

    private static String redirect(String to) {
        return "http://127.0.0.1:" + allowed.getPort() + "/redirect?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }

    private static void vector(List<Arguments> vectors, String name, String url) {
        vectors.add(Arguments.of(name, url));
    }

    @Test
    void theTableHoldsAtLeastFiftyVectors() {
        assertThat(vectors().count()).isGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void aDeniedDestinationEndsPolicyRefusedAfterOneAttemptWithoutAConnection(String name, String url)
            throws Exception {
        Outcome outcome = dispatch(name, url);

        assertThat(outcome).as(name).isInstanceOfSatisfying(Outcome.DeadLetter.class, deadLetter -> {
            assertThat(deadLetter.category()).isEqualTo(FailureCategory.POLICY_REFUSED);
            assertThat(deadLetter.attempts().count()).as("final, never retried").isEqualTo(1);
            assertThat(deadLetter.message()).startsWith("Courier's egress policy refused the destination: ");
        });
        assertThat(denied.accepted()).as("connections to 127.0.0.2").isZero();
        if (deniedIpv6 != null) {
            assertThat(deniedIpv6.accepted()).as("connections to ::1").isZero();
        }
        assertThat(guard.offLoopback()).as("connections attempted off the machine").isEmpty();
        assertThat(guard.connected()).as("the only connections go to the allowed redirecting server")
                .allSatisfy(address -> assertThat(((InetSocketAddress) address).getPort()).isEqualTo(allowed.getPort()));
    }

    @Test
    void aListenerOnTheIpv6LoopbackTakesNoConnectionFromTheIpv6Vectors() throws Exception {
        Assumptions.assumeTrue(deniedIpv6 != null, "this machine has no IPv6 loopback (::1) to listen on; the"
                + " IPv6 vectors are still refused, and AddressPolicyTest covers ::1 without a connection");
        for (String url : List.of("http://[::1]:" + ipv6Port + "/", "http://ipv6-loopback.test:" + ipv6Port + "/")) {
            assertThat(dispatch("ipv6 " + url, url)).isInstanceOf(Outcome.DeadLetter.class);
        }
        assertThat(deniedIpv6.accepted()).isZero();
    }

    @Test
    void theDeadLetterNamesTheRuleThatRefused() throws Exception {
        assertThat(message(dispatch("rule: address", "http://127.0.0.2:" + port + "/")))
                .contains("127.0.0.2 is in 127.0.0.0/8 (loopback)", "courier.egress.allow-cidrs");
        assertThat(message(dispatch("rule: port", "http://127.0.0.1:22/")))
                .contains("courier.egress.allowed-ports", "port 22");
        assertThat(message(dispatch("rule: spelling", "http://0x7f.2:" + port + "/")))
                .contains("0x7f.2", "127.0.0.2", "spelled otherwise than as four decimal numbers");
        assertThat(message(dispatch("rule: dns", "http://metadata.test:" + port + "/")))
                .contains("metadata.test resolves only to addresses in the deny set").doesNotContain("169.254");
        assertThat(message(dispatch("rule: redirect", redirect("http://127.0.0.2:" + port + "/"))))
                .contains("redirect 1 to http://127.0.0.2:" + port + "/", "loopback");
    }

    private static String message(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.DeadLetter.class);
        return ((Outcome.DeadLetter) outcome).message();
    }

    private static Outcome dispatch(String id, String url) throws Exception {
        DispatchRequest request = new DispatchRequest(id, HttpMethod.GET, new URI(url), null, Map.of(), null, null,
                null, null, null, null, null, "vectors", Map.of());
        CompletableFuture<Outcome> outcome = outcomes.computeIfAbsent(id, key -> new CompletableFuture<>());
        dispatcher.submit(request, null, id);
        return outcome.get(20, TimeUnit.SECONDS);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
