package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Secret;
import dev.courier.config.TargetOAuth2;
import dev.courier.config.TargetSettings;
import dev.courier.config.TargetSigning;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Response;
import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.model.TargetDirectory;
import dev.courier.model.Validation;
import dev.courier.testkit.StandardWebhooksVerifier;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Targets with {@code signing=standard-webhooks}, checked by {@link StandardWebhooksVerifier}: a receiver's verification written
 * here from the Standard Webhooks specification (1.0), which uses no Courier code, and is itself held to the
 * specification's published test vector first.
 */
@Timeout(30)
class StandardWebhooksSigningTest {

    /** The specification's test vector, as its reference libraries' tests publish it. */
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330;
    private static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "courier-test-signing-key-32-byte".getBytes(StandardCharsets.US_ASCII));
    private static final String PREVIOUS = "whsec_" + Base64.getEncoder().encodeToString(
            "the-old-key-of-24-bytes!".getBytes(StandardCharsets.US_ASCII));

    private final MockWebServer target = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(VECTOR_TIMESTAMP));
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws Exception {
        // what a test enqueues first, then 200
        mockwebserver3.QueueDispatcher answers = new mockwebserver3.QueueDispatcher();
        answers.setFailFast(new MockResponse.Builder().code(200).build());
        target.setDispatcher(answers);
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        target.close();
        elsewhere.close();
    }

    /** A clock the test moves: the signatures' webhook-timestamp comes from it. */
    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    private void use(TargetSettings hooks, SettingsBuilder settings) {
        caller = OkHttpCaller.builder(settings.build()).egress(Callers.LOOPBACK_ALLOWED).resolver(Callers.NO_DNS)
                .clock(clock()).targets(List.of(hooks)).build();
    }

    private TargetSettings hooks(String secret, String previous) {
        return TargetSettings.of("hooks", target.url("/").uri())
                .withSigning(new TargetSigning(new Secret(secret), previous == null ? null : new Secret(previous)));
    }

    private DispatchRequest post(String path, byte[] body, String idempotencyKey) {
        return request(HttpMethod.POST, target.url(path).uri()).target("hooks")
                .body(Bytes.wrap(body), "application/json").idempotencyKey(idempotencyKey).build();
    }

    private RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        return request;
    }

    private static Map<String, String> headers(RecordedRequest request) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : request.getHeaders().names()) {
            headers.put(name, request.getHeaders().get(name));
        }
        return headers;
    }

    private static byte[] body(RecordedRequest request) {
        return request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    }

    @Test
    void theVerifierWrittenFromTheSpecificationAcceptsItsTestVectorAndNothingElse() {
        byte[] payload = VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("webhook-id", VECTOR_ID, "webhook-timestamp",
                String.valueOf(VECTOR_TIMESTAMP), "webhook-signature", VECTOR_SIGNATURE);
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(VECTOR_SECRET, Instant.ofEpochSecond(VECTOR_TIMESTAMP));

        assertThat(verifier.verify(headers, payload)).isTrue();
        assertThat(verifier.verify(Map.of("webhook-id", VECTOR_ID, "webhook-timestamp", "" + VECTOR_TIMESTAMP,
                "webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x " + VECTOR_SIGNATURE),
                payload)).as("a list with one valid signature").isTrue();
        assertThat(verifier.verify(headers, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
                .as("another body").isFalse();
        assertThat(new StandardWebhooksVerifier(SECRET, Instant.ofEpochSecond(VECTOR_TIMESTAMP)).verify(headers, payload))
                .as("another secret").isFalse();
        assertThat(new StandardWebhooksVerifier(VECTOR_SECRET, Instant.ofEpochSecond(VECTOR_TIMESTAMP + 301))
                .verify(headers, payload)).as("a timestamp over 5 minutes old").isFalse();
        assertThat(new StandardWebhooksVerifier(VECTOR_SECRET, Instant.ofEpochSecond(VECTOR_TIMESTAMP - 301))
                .verify(headers, payload)).as("a timestamp over 5 minutes ahead").isFalse();
        assertThat(verifier.verify(Map.of("webhook-id", VECTOR_ID, "webhook-timestamp", "" + VECTOR_TIMESTAMP,
                "webhook-signature", "v2," + VECTOR_SIGNATURE.substring(3)), payload)).as("another version").isFalse();
        assertThat(verifier.verify(Map.of("webhook-id", VECTOR_ID, "webhook-signature", VECTOR_SIGNATURE), payload))
                .as("no timestamp").isFalse();
    }

    @Test
    void courierSignsTheSpecificationsTestVectorToItsPublishedSignature() throws Exception {
        use(hooks(VECTOR_SECRET, null), settings());

        AttemptResult result = caller.call(post("/in", VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8), VECTOR_ID), 1);

        assertThat(result).isInstanceOf(Response.class);
        RecordedRequest sent = take(target);
        assertThat(sent.getHeaders().get("webhook-id")).isEqualTo(VECTOR_ID);
        assertThat(sent.getHeaders().get("webhook-timestamp")).isEqualTo("1614265330");
        assertThat(sent.getHeaders().get("webhook-signature")).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void everyBodyIsSignedExactlyAsSentAndVerifiesIndependently() throws Exception {
        use(hooks(SECRET, null), settings().maxRequestBytes(64 * 1024));
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        List<DispatchRequest> requests = List.of(
                post("/binary", binary, "evt-1"),
                post("/text", "{\"name\":\"Zoë\",\"note\":\"a.b.c\"}".getBytes(StandardCharsets.UTF_8), "evt-2"),
                request(HttpMethod.POST, target.url("/empty-post").uri()).target("hooks").idempotencyKey("evt-3")
                        .build(),
                get(target.url("/get?x=1").uri()).target("hooks").idempotencyKey("evt-4").build());

        for (DispatchRequest request : requests) {
            assertThat(caller.call(request, 1)).isInstanceOf(Response.class);
            RecordedRequest sent = take(target);
            assertThat(new StandardWebhooksVerifier(SECRET, now.get()).verify(headers(sent), body(sent)))
                    .as(sent.getTarget()).isTrue();
            assertThat(sent.getHeaders().get("webhook-id")).isEqualTo(request.idempotencyKey());
        }
    }

    @Test
    void whileRotatingBothSignaturesAreSentAndEitherSecretVerifies() throws Exception {
        use(hooks(SECRET, PREVIOUS), settings());

        caller.call(post("/in", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "evt-1"), 1);

        RecordedRequest sent = take(target);
        String[] signatures = sent.getHeaders().get("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2).allMatch(signature -> signature.startsWith("v1,"));
        assertThat(new StandardWebhooksVerifier(SECRET, now.get()).verify(headers(sent), body(sent))).as("the new secret").isTrue();
        assertThat(new StandardWebhooksVerifier(PREVIOUS, now.get()).verify(headers(sent), body(sent))).as("the old one").isTrue();
        assertThat(new StandardWebhooksVerifier(VECTOR_SECRET, now.get()).verify(headers(sent), body(sent))).as("a third")
                .isFalse();
    }

    @Test
    void webhookIdIsTheIdempotencyKeyElseTheEventsIdTheSameOnEveryAttemptWithEachAttemptsTimestamp() throws Exception {
        use(hooks(SECRET, null), settings());
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        DispatchRequest withKey = post("/in", body, "order-7-charge");
        DispatchRequest withoutKey = post("/in", body, null);

        caller.call(withKey, 1);
        now.set(now.get().plusSeconds(30));
        caller.call(withKey, 2);
        caller.call(withoutKey, 1);

        RecordedRequest first = take(target);
        RecordedRequest second = take(target);
        RecordedRequest third = take(target);
        assertThat(first.getHeaders().get("webhook-id")).isEqualTo("order-7-charge");
        assertThat(second.getHeaders().get("webhook-id")).isEqualTo("order-7-charge");
        assertThat(first.getHeaders().get("webhook-timestamp")).isEqualTo(String.valueOf(VECTOR_TIMESTAMP));
        assertThat(second.getHeaders().get("webhook-timestamp")).isEqualTo(String.valueOf(VECTOR_TIMESTAMP + 30));
        assertThat(third.getHeaders().get("webhook-id")).isEqualTo(withoutKey.id());
        for (RecordedRequest sent : List.of(first, second, third)) {
            assertThat(new StandardWebhooksVerifier(SECRET, now.get()).verify(headers(sent), body(sent))).isTrue();
        }
    }

    @Test
    void anIdWithADotOrASpaceIsNotSentSinceItCouldNotBeSignedSafely() throws Exception {
        use(hooks(SECRET, null), settings());

        AttemptResult dotted = caller.call(post("/in", new byte[0], "order.7"), 1);
        AttemptResult spaced = caller.call(post("/in", new byte[0], "order 7"), 1);

        assertThat(dotted).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(failure.message()).isEqualTo("cannot make the request: target hooks signs its calls with"
                    + " webhook-id, its idempotencyKey, which must not hold '.' (Standard Webhooks signs"
                    + " id.timestamp.body)");
        });
        assertThat(spaced).isInstanceOfSatisfying(Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID));
        assertThat(target.getRequestCount()).isZero();
    }

    @Test
    void aRedirectWithinTheTargetIsSignedAgainAndOneElsewhereCarriesNoSignature() throws Exception {
        use(hooks(SECRET, null), settings().followRedirects(true));
        target.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/moved").build());
        target.enqueue(new MockResponse.Builder().code(307).addHeader("Location", elsewhere.url("/away")).build());
        elsewhere.enqueue(new MockResponse.Builder().code(200).build());
        byte[] body = "{\"kept\":true}".getBytes(StandardCharsets.UTF_8);

        caller.call(post("/in", body, "evt-9"), 1);

        take(target);
        RecordedRequest moved = take(target);
        assertThat(new StandardWebhooksVerifier(SECRET, now.get()).verify(headers(moved), body(moved))).isTrue();
        assertThat(body(moved)).isEqualTo(body);
        RecordedRequest away = take(elsewhere);
        assertThat(away.getHeaders().names()).doesNotContain("webhook-id", "webhook-timestamp", "webhook-signature");
    }

    @Test
    void aCallRepeatedAfterA401IsSignedAgainBesideItsNewToken() throws Exception {
        try (TokenServer tokens = new TokenServer()) {
            TargetSettings both = hooks(SECRET, null).withOAuth2(new TargetOAuth2(tokens.url(), "courier",
                    new Secret("s"), null, null, TargetOAuth2.ClientAuth.BASIC));
            java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
            caller = OkHttpCaller.builder(settings().build()).egress(Callers.LOOPBACK_ALLOWED)
                    .resolver(Callers.NO_DNS).clock(clock()).nanoTime(nanos::get).targets(List.of(both)).build();
            target.enqueue(new MockResponse.Builder().code(200).build());
            target.enqueue(new MockResponse.Builder().code(401).build());
            target.enqueue(new MockResponse.Builder().code(200).build());
            caller.call(post("/a", new byte[0], "evt-a"), 1);
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            now.set(now.get().plusSeconds(2));

            AttemptResult result = caller.call(post("/b", "{\"b\":2}".getBytes(StandardCharsets.UTF_8), "evt-b"), 1);

            assertThat(result).isInstanceOfSatisfying(Response.class, r -> assertThat(r.status()).isEqualTo(200));
            take(target);
            RecordedRequest refused = take(target);
            RecordedRequest repeated = take(target);
            assertThat(refused.getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
            assertThat(repeated.getHeaders().get("Authorization")).isEqualTo("Bearer tok-2");
            assertThat(new StandardWebhooksVerifier(SECRET, now.get()).verify(headers(repeated), body(repeated))).isTrue();
            assertThat(repeated.getHeaders().get("webhook-id")).isEqualTo("evt-b");
        }
    }

    @Test
    void eventsMayNotSetTheSignaturesHeaders() {
        TargetSettings hooks = hooks(SECRET, null);
        RequestValidator validator = new RequestValidator(new TargetDirectory() {
            @Override
            public Optional<URI> baseUrl(String name) {
                return Optional.of(hooks.baseUrl());
            }

            @Override
            public Set<String> injectedHeaders(String name) {
                return hooks.injectedHeaders();
            }
        });

        for (String header : List.of("webhook-id", "Webhook-Timestamp", "WEBHOOK-SIGNATURE")) {
            Validation validation = validator.validate(new RequestSpec("e", "POST", null, "hooks", "/in",
                    Map.of(header, "forged"), null, null, null, null, null, null, null, null, Map.of()));
            assertThat(validation).as(header).isInstanceOf(Validation.Invalid.class);
        }
    }
}
