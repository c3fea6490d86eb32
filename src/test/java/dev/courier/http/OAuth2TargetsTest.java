package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static dev.courier.http.TokenServer.json;
import static dev.courier.http.TokenServer.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.config.Secret;
import dev.courier.config.TargetOAuth2;
import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Response;
import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Targets with {@code auth=oauth2}: the client credentials request, one token shared by every worker, its lifetime in
 * virtual time, the 401 that renews it once, a failing token endpoint, and where the token may and may not go.
 */
@Timeout(60)
class OAuth2TargetsTest {

    private static final String CLIENT_SECRET = "s3cr:t/+&=canary";

    private final TokenServer tokens = new TokenServer();
    private final MockWebServer target = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RecordingListener listener = new RecordingListener();
    /** How the target answers each request, by its Authorization header; 200 by default. */
    private volatile Function<String, Integer> answer = authorization -> 200;
    private OkHttpCaller caller;

    OAuth2TargetsTest() throws Exception {
    }

    @BeforeEach
    void start() throws Exception {
        target.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getTarget().startsWith("/elsewhere")) {
                    return new MockResponse.Builder().code(307).addHeader("Location", elsewhere.url("/away")).build();
                }
                if (request.getTarget().startsWith("/moved")) {
                    return new MockResponse.Builder().code(307).addHeader("Location", "/ok").build();
                }
                return new MockResponse.Builder().code(answer.apply(request.getHeaders().get("Authorization")))
                        .body("{}").build();
            }
        });
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        tokens.close();
        target.close();
        elsewhere.close();
    }

    private TargetOAuth2 oauth2(TargetOAuth2.ClientAuth clientAuth) {
        return new TargetOAuth2(tokens.url(), "courier client", new Secret(CLIENT_SECRET), "payments:write refunds",
                "https://payments.example.com", clientAuth);
    }

    private void use(TargetOAuth2 oauth2, SettingsBuilder settings) {
        caller = OkHttpCaller.builder(settings.build()).egress(Callers.LOOPBACK_ALLOWED).resolver(Callers.NO_DNS)
                .nanoTime(nanos::get).concurrency(64).tokenListener(listener)
                .targets(List.of(TargetSettings.of("payments", target.url("/").uri()).withOAuth2(oauth2))).build();
    }

    private void use(TargetOAuth2 oauth2) {
        use(oauth2, settings());
    }

    private AttemptResult call(String path) {
        return caller.call(get(target.url(path).uri()).target("payments").build(), 1);
    }

    private RecordedRequest takeTarget() throws InterruptedException {
        RecordedRequest request = target.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request to the target").isNotNull();
        return request;
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static int status(AttemptResult result) {
        assertThat(result).isInstanceOf(Response.class);
        return ((Response) result).status();
    }

    private static Failure failure(AttemptResult result) {
        assertThat(result).isInstanceOf(Failure.class);
        return (Failure) result;
    }

    @Test
    void theFirstCallAsksForATokenWithTheClientCredentialsGrantAndEveryCallSendsItAsBearer() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        assertThat(status(call("/charges"))).isEqualTo(200);
        assertThat(status(call("/refunds"))).isEqualTo(200);

        RecordedRequest fetch = tokens.awaitRequest(1);
        assertThat(fetch.getMethod()).isEqualTo("POST");
        assertThat(fetch.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(fetch.getHeaders().get("Accept")).isEqualTo("application/json");
        // RFC 6749 2.3.1: id and secret are form-encoded, then joined with ':' and base64-encoded
        assertThat(fetch.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "courier+client:s3cr%3At%2F%2B%26%3Dcanary".getBytes(StandardCharsets.US_ASCII)));
        assertThat(fetch.getBody().utf8()).isEqualTo("grant_type=client_credentials&scope=payments%3Awrite+refunds"
                + "&audience=https%3A%2F%2Fpayments.example.com");
        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(tokens.count()).isEqualTo(1);
        assertThat(listener.results()).containsExactly("payments:success");
    }

    @Test
    void postClientAuthSendsTheCredentialsInTheFormInstead() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.POST));

        assertThat(status(call("/charges"))).isEqualTo(200);

        RecordedRequest fetch = tokens.awaitRequest(1);
        assertThat(fetch.getHeaders().get("Authorization")).isNull();
        assertThat(fetch.getBody().utf8()).contains("&client_id=courier+client&client_secret=s3cr%3At%2F%2B%26%3Dcanary");
    }

    @Test
    void sixtyFourCallsThatNeedATokenAtOnceShareOneRequestForIt() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        tokens.hold();
        ExecutorService workers = Executors.newFixedThreadPool(64);
        CountDownLatch started = new CountDownLatch(64);
        List<Future<AttemptResult>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                calls.add(workers.submit(() -> {
                    started.countDown();
                    return call("/charges");
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            tokens.awaitRequest(1);
            tokens.release();
            for (Future<AttemptResult> call : calls) {
                assertThat(status(call.get(20, TimeUnit.SECONDS))).isEqualTo(200);
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(tokens.count()).as("requests to the token endpoint").isEqualTo(1);
        for (int i = 0; i < 64; i++) {
            assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        }
    }

    @Test
    void aCallWaitsForATokenNoLongerThanItsOwnTimeoutAndFailsAsNotSentNamingTheTokenEndpoint() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        tokens.hold();

        AttemptResult result = caller.call(get(target.url("/charges").uri()).target("payments")
                .timeout(Duration.ofMillis(300)).build(), 1);

        Failure failure = failure(result);
        assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("no access token for target payments: token endpoint " + tokens.url()
                + " did not answer within the call's 300 ms");
        assertThat(target.getRequestCount()).isZero();
    }

    @Test
    void aTokenRequestTakesAtMostTheTargetsCallTimeout() throws Exception {
        TargetSettings quick = new TargetSettings("payments", target.url("/").uri(), Map.of(), null, null, null, null,
                null, Duration.ofMillis(300), null, null).withOAuth2(oauth2(TargetOAuth2.ClientAuth.BASIC));
        caller = OkHttpCaller.builder(settings().build()).egress(Callers.LOOPBACK_ALLOWED).resolver(Callers.NO_DNS)
                .nanoTime(nanos::get).tokenListener(listener).targets(List.of(quick)).build();
        tokens.hold();

        AttemptResult result = caller.call(get(target.url("/charges").uri()).target("payments")
                .timeout(Duration.ofSeconds(5)).build(), 1);

        assertThat(failure(result).message()).isEqualTo("no access token for target payments: token endpoint "
                + tokens.url() + " did not answer within 300 ms");
        assertThat(listener.results()).containsExactly("payments:unreachable");
    }

    @Test
    void aTokenIsRenewedInTheBackgroundOnceFourFifthsOfItsLifetimeHavePassedWhileCallsGoOnWithIt() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        assertThat(status(call("/a"))).isEqualTo(200);
        advance(Duration.ofSeconds(79));
        assertThat(status(call("/b"))).isEqualTo(200);
        assertThat(tokens.count()).as("no renewal before 80 s of 100").isEqualTo(1);

        tokens.hold();
        advance(Duration.ofSeconds(2));
        // the renewal is held, so a call that waited for it would time out: this one goes on with tok-1
        AttemptResult during = caller.call(get(target.url("/c").uri()).target("payments")
                .timeout(Duration.ofMillis(500)).build(), 1);
        tokens.awaitRequest(2);
        tokens.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.results().size() == 2);
        AttemptResult after = call("/d");

        assertThat(status(during)).isEqualTo(200);
        assertThat(status(after)).isEqualTo(200);
        assertThat(List.of(takeTarget(), takeTarget(), takeTarget(), takeTarget()))
                .extracting(request -> request.getHeaders().get("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void aTokenInTheLastTenthOfItsLifetimeIsNeverSentAndCallsWaitForTheNextOne() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        assertThat(status(call("/a"))).isEqualTo(200);

        advance(Duration.ofSeconds(91));
        assertThat(status(call("/b"))).isEqualTo(200);

        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-2");
    }

    @Test
    void aTokenThatExpiresInOneSecondIsReplacedAfterIt() throws Exception {
        tokens.script(n -> token("tok-" + n, 1));
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        call("/a");
        advance(Duration.ofMillis(500));
        call("/b");
        advance(Duration.ofMillis(600));
        call("/c");

        assertThat(List.of(takeTarget(), takeTarget(), takeTarget()))
                .extracting(request -> request.getHeaders().get("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void withoutExpiresInATokenIsRenewedAfterAnHour() throws Exception {
        tokens.script(n -> token("tok-" + n, -1));
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        call("/a");
        advance(Duration.ofMinutes(47));
        call("/b");
        advance(Duration.ofMinutes(13));
        call("/c");

        assertThat(List.of(takeTarget(), takeTarget(), takeTarget()))
                .extracting(request -> request.getHeaders().get("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void a401ToAnOlderTokenGetsANewTokenAndTheCallIsRepeatedWithIt() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        assertThat(status(call("/a"))).isEqualTo(200);
        answer = authorization -> "Bearer tok-1".equals(authorization) ? 401 : 200; // tok-1 revoked
        advance(Duration.ofSeconds(2));

        AttemptResult result = call("/b");

        assertThat(status(result)).isEqualTo(200);
        assertThat(List.of(takeTarget(), takeTarget(), takeTarget()))
                .extracting(request -> request.getHeaders().get("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
        assertThat(tokens.count()).isEqualTo(2);
    }

    @Test
    void a401ToTheRepeatStands() throws Exception {
        answer = authorization -> 401;
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        assertThat(status(call("/a"))).as("a 401 to a token just issued").isEqualTo(401);
        advance(Duration.ofSeconds(2));

        AttemptResult result = call("/b");

        assertThat(status(result)).isEqualTo(401);
        assertThat(target.getRequestCount()).as("the first call once, the second twice").isEqualTo(3);
        assertThat(tokens.count()).isEqualTo(2);
    }

    @Test
    void a401ToATokenIssuedWithinTheLastSecondStandsWithoutAskingForAnother() throws Exception {
        answer = authorization -> 401;
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        for (int i = 0; i < 5; i++) {
            assertThat(status(call("/x"))).isEqualTo(401);
            advance(Duration.ofMillis(100));
        }

        assertThat(tokens.count()).as("one request while every call answers 401 within a second").isEqualTo(1);
        assertThat(target.getRequestCount()).isEqualTo(5);
    }

    @Test
    void aFailingTokenEndpointFailsCallsAsNotSentNamingItAndIsAskedAgainOnlyAfterASecond() throws Exception {
        tokens.script(n -> n == 1 ? json(503, "{}") : token("tok-" + n, 100));
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        Failure first = failure(call("/a"));
        Failure withinTheSecond = failure(call("/b"));
        advance(Duration.ofSeconds(1));
        AttemptResult afterIt = call("/c");

        String expected = "no access token for target payments: token endpoint " + tokens.url() + " answered HTTP 503";
        assertThat(first.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(first.message()).isEqualTo(expected);
        assertThat(withinTheSecond.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(withinTheSecond.message()).isEqualTo(expected);
        assertThat(status(afterIt)).isEqualTo(200);
        assertThat(tokens.count()).isEqualTo(2);
        assertThat(target.getRequestCount()).as("only the call after the endpoint recovered").isEqualTo(1);
        assertThat(listener.results()).containsExactly("payments:error_status", "payments:success");
    }

    @Test
    void aRefusalShowsTheErrorCodeButNeitherItsDescriptionNorTheSecret() throws Exception {
        tokens.script(n -> json(401, "{\"error\":\"invalid_client\",\"error_description\":\"secret " + CLIENT_SECRET
                + " is wrong\"}"));
        use(oauth2(TargetOAuth2.ClientAuth.POST));

        Failure failure = failure(call("/a"));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("no access token for target payments: token endpoint " + tokens.url()
                + " answered HTTP 401 (invalid_client)");
        assertThat(listener.results()).containsExactly("payments:rejected");
    }

    @Test
    void answersWithoutAUsableBearerTokenAreInvalidResponsesSayingWhy() throws Exception {
        List<MockResponse> answers = List.of(
                json(200, "not json"),
                json(200, "{\"token_type\":\"Bearer\"}"),
                json(200, "{\"access_token\":\"t\",\"token_type\":\"mac\"}"),
                json(200, "{\"access_token\":\"t\",\"expires_in\":\"soon\"}"),
                json(200, "{\"access_token\":\"t\",\"expires_in\":0}"),
                json(200, "{\"access_token\":\"a b\"}"),
                json(200, "{\"access_token\":\"" + "x".repeat(70 * 1024) + "\"}"));
        tokens.script(n -> answers.get(n - 1));
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        List<String> messages = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Failure failure = failure(call("/a"));
            assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
            messages.add(failure.message().substring(failure.message().indexOf(" answered ")));
            advance(Duration.ofSeconds(1));
        }

        assertThat(messages).containsExactly(
                " answered without a usable token: its answer is not a JSON object",
                " answered without a usable token: its answer has no access_token",
                " answered without a usable token: its answer has token_type mac, not Bearer",
                " answered without a usable token: its answer has an expires_in that is not a number of seconds of at"
                        + " least 1",
                " answered without a usable token: its answer has an expires_in that is not a number of seconds of at"
                        + " least 1",
                " answered without a usable token: its answer has an access_token that an HTTP header cannot carry",
                " answered without a usable token: its answer is over 64 KiB");
        assertThat(listener.results()).hasSize(answers.size()).allMatch(r -> r.equals("payments:invalid_response"));
        assertThat(target.getRequestCount()).isZero();
    }

    @Test
    void aTokenEndpointThatRefusesConnectionsIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closed + "/token");
        use(new TargetOAuth2(url, "courier", new Secret(CLIENT_SECRET), null, null, TargetOAuth2.ClientAuth.BASIC));

        Failure failure = failure(call("/a"));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("no access token for target payments: token endpoint " + url
                + " refused the connection");
        assertThat(listener.results()).containsExactly("payments:unreachable");
    }

    @Test
    void theTokenEndpointsRedirectIsNotFollowed() throws Exception {
        tokens.script(n -> new MockResponse.Builder().code(302).addHeader("Location", elsewhere.url("/token")).build());
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));

        Failure failure = failure(call("/a"));

        assertThat(failure.message()).endsWith(" answered HTTP 302");
        assertThat(elsewhere.getRequestCount()).isZero();
    }

    @Test
    void theTokenGoesOnlyToTheTargetsOriginAcrossRedirects() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC), settings().followRedirects(true));
        elsewhere.enqueue(new MockResponse.Builder().code(200).build());

        assertThat(status(call("/moved"))).isEqualTo(200);
        assertThat(status(call("/elsewhere"))).isEqualTo(200);

        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(takeTarget().getHeaders().get("Authorization")).as("the same origin's hop").isEqualTo("Bearer tok-1");
        assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
        RecordedRequest away = elsewhere.takeRequest(5, TimeUnit.SECONDS);
        assertThat(away).isNotNull();
        assertThat(away.getHeaders().names()).doesNotContain("Authorization");
    }

    @Test
    void closingTheCallerEndsACallWaitingForAToken() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC), settings().callTimeout(Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        tokens.hold();
        CompletableFuture<AttemptResult> waiting = CompletableFuture.supplyAsync(() -> call("/a"));
        tokens.awaitRequest(1);

        caller.close();

        Failure failure = failure(waiting.get(10, TimeUnit.SECONDS));
        assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(failure.message()).contains("token endpoint " + tokens.url(), "the HTTP caller is closing");
    }

    @Test
    void anInterruptedWaitForATokenEndsTheCallAndKeepsTheInterrupt() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC), settings().callTimeout(Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        tokens.hold();
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            result.complete(call("/a"));
            interrupted.complete(Thread.currentThread().isInterrupted());
        }, "oauth2-test-worker");
        worker.start();
        tokens.awaitRequest(1);

        worker.interrupt();

        Failure failure = failure(result.get(10, TimeUnit.SECONDS));
        assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("interrupted before the request was sent");
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theListenerReadsTheTokensAgeInTheSourcesClock() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        Supplier<Optional<Duration>> age = listener.ages.get("payments");
        assertThat(age.get()).isEmpty();

        call("/a");
        advance(Duration.ofSeconds(42));

        assertThat(age.get()).contains(Duration.ofSeconds(42));
    }

    @Test
    void aBodyIsSentAgainWhenA401IsRepeated() throws Exception {
        use(oauth2(TargetOAuth2.ClientAuth.BASIC));
        call("/a");
        answer = authorization -> "Bearer tok-1".equals(authorization) ? 401 : 200;
        advance(Duration.ofSeconds(2));
        DispatchRequest post = request(HttpMethod.POST, target.url("/charges").uri()).target("payments")
                .body(Bytes.wrap("{\"amount\":5}".getBytes(StandardCharsets.UTF_8)), "application/json").build();

        assertThat(status(caller.call(post, 1))).isEqualTo(200);

        takeTarget();
        assertThat(takeTarget().getBody().utf8()).isEqualTo("{\"amount\":5}");
        assertThat(takeTarget().getBody().utf8()).isEqualTo("{\"amount\":5}");
    }

    @Test
    void theTokenEndpointIsReachedWithTheTargetsTlsMaterialAndItsCertificateIsVerified() throws Exception {
        okhttp3.tls.HeldCertificate root = new okhttp3.tls.HeldCertificate.Builder().certificateAuthority(0)
                .commonName("Courier test root").build();
        okhttp3.tls.HeldCertificate server = new okhttp3.tls.HeldCertificate.Builder().commonName("auth")
                .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").signedBy(root).build();
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("token-ca", ".pem");
        try (MockWebServer https = new MockWebServer()) {
            java.nio.file.Files.writeString(ca, root.certificatePem());
            https.useHttps(new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(server).build()
                    .sslSocketFactory());
            https.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return token("tls-token", 100);
                }
            });
            https.start(InetAddress.getByName("127.0.0.1"), 0);
            TargetOAuth2 oauth2 = new TargetOAuth2(https.url("/token").uri(), "courier", new Secret(CLIENT_SECRET),
                    null, null, TargetOAuth2.ClientAuth.BASIC);
            TargetSettings withCa = new TargetSettings("payments", target.url("/").uri(), Map.of(), null, ca, null,
                    null, null, null, null, null).withOAuth2(oauth2);
            caller = OkHttpCaller.builder(settings().build()).egress(Callers.LOOPBACK_ALLOWED)
                    .resolver(Callers.NO_DNS).nanoTime(nanos::get).tokenListener(listener)
                    .targets(List.of(withCa)).build();

            assertThat(status(call("/a"))).as("the target's ca-file trusts the token endpoint").isEqualTo(200);
            assertThat(takeTarget().getHeaders().get("Authorization")).isEqualTo("Bearer tls-token");

            caller.close();
            use(oauth2); // no ca-file: the system's CAs, which do not know the test root
            Failure failure = failure(call("/b"));
            assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
            assertThat(failure.message()).isEqualTo("no access token for target payments: token endpoint "
                    + https.url("/token") + " could not be reached: the TLS handshake failed");
            assertThat(https.getRequestCount()).as("requests the endpoint read").isEqualTo(1);
        } finally {
            java.nio.file.Files.deleteIfExists(ca);
        }
    }

    @Test
    void aTargetWithoutTokenOrSignatureKeepsItsPlainClient() {
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();

        assertThat(OkHttpClients.withCredentials(client, null, null)).isSameAs(client);
    }

    /** Records what the token listener hears. */
    private static final class RecordingListener implements TokenListener {

        final Map<String, Supplier<Optional<Duration>>> ages = new ConcurrentHashMap<>();
        private final List<String> results = new CopyOnWriteArrayList<>();

        @Override
        public void watch(String target, Supplier<Optional<Duration>> tokenAge) {
            ages.put(target, tokenAge);
        }

        @Override
        public void fetched(String target, TokenFetch result) {
            results.add(target + ":" + result.label());
        }

        List<String> results() {
            return List.copyOf(results);
        }
    }
}
