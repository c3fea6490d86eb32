package dev.courier.cli;

import static dev.courier.engine.EngineHarness.only;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventJson;
import dev.courier.config.Settings;
import dev.courier.engine.EngineHarness;
import dev.courier.engine.OutcomeAudit;
import dev.courier.http.OkHttpCaller;
import dev.courier.http.TokenListener;
import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import dev.courier.ops.Metrics;
import dev.courier.ops.Scrape;
import dev.courier.ops.TokenMeters;
import dev.courier.sandbox.DemoTarget;
import dev.courier.testkit.Closing;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.StandardWebhooksVerifier;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 and signed targets through the whole engine, on the in-JVM broker: tokens that expire and are renewed, a 401
 * that renews the token once, a token endpoint that is down, signatures that a verifier written from the Standard
 * Webhooks specification accepts with either secret while one is rotated, and canaries (client secret, signing
 * secret, tokens) that reach the token endpoint and the target and nothing else. Token lifetimes run on a clock the
 * test moves (the caller's nanoTime), so nothing sleeps.
 */
@WithSandbox
@Timeout(240)
class TargetCredentialsIT {

    private static final String CLIENT_SECRET = "canary-client-secret-3b8f0e";
    private static final String TOKEN_CANARY = "canary-token-9c41d7";
    private static final String SIGNING_KEY_TEXT = "canary-signing-key-material-5d2a";
    private static final String SIGNING_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            SIGNING_KEY_TEXT.getBytes(StandardCharsets.US_ASCII));
    private static final String PREVIOUS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "the-previous-signing-key-24b".getBytes(StandardCharsets.US_ASCII));

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();
    private final AtomicLong nanos = new AtomicLong();

    TargetCredentialsIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** A token endpoint whose n-th answer (from 1) is {@code script.apply(n)}; by default {@code tok-n}. */
    private static final class TokenEndpoint {

        final AtomicInteger requests = new AtomicInteger();
        volatile IntFunction<MockResponse> script = n -> token(n, 3600);
        final RecordingTarget server;

        TokenEndpoint(Closing closing) throws Exception {
            server = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/refuse")
                    ? json(401, "{\"error\":\"invalid_client\",\"error_description\":\"the secret "
                            + CLIENT_SECRET + " is not ours\"}")
                    : script.apply(requests.incrementAndGet())));
        }

        String url() {
            return server.url("/oauth/token");
        }
    }

    private static MockResponse token(int n, long expiresIn) {
        return json(200, "{\"access_token\":\"tok-" + n + "-" + TOKEN_CANARY + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":" + expiresIn + "}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String bearer(int n) {
        return "Bearer tok-" + n + "-" + TOKEN_CANARY;
    }

    private OkHttpCaller caller(Settings settings, TokenListener listener) {
        return OkHttpCaller.builder(settings.http()).egress(settings.egress()).targets(settings.targets().values())
                .clock(Clock.systemUTC()).nanoTime(nanos::get).concurrency(settings.dispatch().workers())
                .tokenListener(listener).build();
    }

    private static RequestSpec post(String id, String target, String path, String body, String idempotencyKey,
            Integer maxAttempts) {
        return new RequestSpec(id, "POST", null, target, path, Map.of(),
                body == null ? null : Bytes.wrap(body.getBytes(StandardCharsets.UTF_8)), "application/json", null,
                maxAttempts, null, idempotencyKey, null, null, Map.of());
    }

    private Map<String, String> oauth2Target(String name, String baseUrl, String tokenUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("courier.targets." + name + ".base-url", baseUrl);
        settings.put("courier.targets." + name + ".auth", "oauth2");
        settings.put("courier.targets." + name + ".oauth2.token-url", tokenUrl);
        settings.put("courier.targets." + name + ".oauth2.client-id", "courier");
        settings.put("courier.targets." + name + ".oauth2.client-secret", "${env:CLIENT_SECRET}");
        return settings;
    }

    private static List<String> authorizations(List<RecordingTarget.Arrival> arrivals) {
        return arrivals.stream().map(a -> a.request().getHeaders().get("Authorization")).toList();
    }

    @Test
    void tokensExpireAndAreRenewedAndA401RenewsTheTokenOnceThenStands() throws Exception {
        TokenEndpoint tokens = new TokenEndpoint(closing);
        tokens.script = n -> token(n, n == 1 ? 1 : 3600);
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        RecordingTarget target = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/always-401")
                || revoked.contains(request.getHeaders().get("Authorization"))
                ? RecordingTarget.status(401) : RecordingTarget.status(200)));
        Map<String, String> settings = new HashMap<>(oauth2Target("pay", target.url("/"), tokens.url()));
        settings.put("courier.workers", "8");
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, settings,
                Map.of("CLIENT_SECRET", CLIENT_SECRET)));
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            first.add("first-" + i);
            harness.send("k" + i, post("first-" + i, "pay", "/first", "{}", null, null));
        }
        harness.start(caller(harness.settings(), TokenListener.NONE));

        harness.awaitEvery(first, Duration.ofSeconds(60));
        assertThat(tokens.requests.get()).as("12 events on 8 workers, one token").isEqualTo(1);
        assertThat(authorizations(target.arrivals("/first"))).hasSize(12).allMatch(bearer(1)::equals);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // tok-1 lived 1 s
        harness.send("k", post("after-expiry", "pay", "/after-expiry", "{}", null, null));
        harness.awaitEvery(List.of("after-expiry"), Duration.ofSeconds(60));
        assertThat(authorizations(target.arrivals("/after-expiry"))).containsExactly(bearer(2));

        revoked.add(bearer(2));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        harness.send("k", post("revoked", "pay", "/revoked", "{}", null, null));
        OutcomeAudit.Outcomes renewed = harness.awaitEvery(List.of("revoked"), Duration.ofSeconds(60));
        ObjectNode result = only(renewed.results(), "revoked");
        assertThat(result.get("statusCode").asInt()).isEqualTo(200);
        assertThat(result.get("attempts").asInt()).as("the repeat after a 401 is part of the attempt").isEqualTo(1);
        assertThat(authorizations(target.arrivals("/revoked"))).containsExactly(bearer(2), bearer(3));

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        harness.send("k", post("refused", "pay", "/always-401", "{}", null, null));
        OutcomeAudit.Outcomes refused = harness.awaitEvery(List.of("refused"), Duration.ofSeconds(60));
        ObjectNode deadLetter = only(refused.deadLetters(), "refused");
        assertThat(deadLetter.get("category").asText()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(deadLetter.get("lastStatusCode").asInt()).isEqualTo(401);
        assertThat(authorizations(target.arrivals("/always-401"))).containsExactly(bearer(3), bearer(4));
        assertThat(tokens.requests.get()).isEqualTo(4);
    }

    @Test
    void aTokenEndpointThatIsDownFailsEventsAsRetryableNamingItAndTheyGoThroughOnceItIsBack() throws Exception {
        TokenEndpoint tokens = new TokenEndpoint(closing);
        tokens.script = n -> n == 1 ? json(503, "{}") : token(n, 3600);
        RecordingTarget target = closing.add(new RecordingTarget(request -> RecordingTarget.status(200)));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort + "/oauth/token";
        Map<String, String> settings = new HashMap<>(oauth2Target("pay", target.url("/pay"), tokens.url()));
        settings.putAll(oauth2Target("crm", target.url("/crm"), nowhere));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, settings,
                Map.of("CLIENT_SECRET", CLIENT_SECRET)));
        harness.send("k", post("while-down", "pay", "/charges", "{}", "charge-1", 3));
        harness.send("k", post("not-listening", "crm", "/contacts", "{}", "contact-1", 2));
        harness.start(caller(harness.settings(), TokenListener.NONE));

        OutcomeAudit.Outcomes down = harness.awaitEvery(List.of("while-down", "not-listening"), Duration.ofSeconds(60));

        ObjectNode whileDown = only(down.deadLetters(), "while-down");
        assertThat(whileDown.get("category").asText()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(whileDown.get("attempts").asInt()).isEqualTo(3);
        assertThat(whileDown.get("errorMessage").asText()).isEqualTo("all 3 attempts allowed failed; the last failed:"
                + " no access token for target pay: token endpoint " + tokens.url() + " answered HTTP 503");
        assertThat(tokens.requests.get()).as("the attempts within a second of the failure do not ask again")
                .isEqualTo(1);
        ObjectNode notListening = only(down.deadLetters(), "not-listening");
        assertThat(notListening.get("category").asText()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(notListening.get("errorMessage").asText()).endsWith("no access token for target crm: token endpoint "
                + nowhere + " refused the connection");
        assertThat(target.requestCount()).as("the target is not called without a token").isZero();

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        harness.send("k", post("after-recovery", "pay", "/charges", "{}", "charge-2", 3));
        OutcomeAudit.Outcomes back = harness.awaitEvery(List.of("after-recovery"), Duration.ofSeconds(60));

        assertThat(only(back.results(), "after-recovery").get("statusCode").asInt()).isEqualTo(200);
        assertThat(authorizations(target.arrivals("/pay/charges"))).containsExactly(bearer(2));
    }

    @Test
    void signedCallsVerifyWithEitherSecretWhileRotatingAndKeepTheirIdAcrossRetriesAndRepublication() throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        RecordingTarget target = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/flaky")
                && seen.merge(request.getHeaders().get("webhook-id"), 1, Integer::sum) == 1
                ? RecordingTarget.status(503) : RecordingTarget.status(200)));
        Map<String, String> settings = Map.of(
                "courier.targets.hooks.base-url", target.url("/"),
                "courier.targets.hooks.signing", "standard-webhooks",
                "courier.targets.hooks.signing.secret", "${env:HOOK_SECRET}",
                "courier.targets.hooks.signing.previous-secret", "${env:OLD_HOOK_SECRET}");
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, settings,
                Map.of("HOOK_SECRET", SIGNING_SECRET, "OLD_HOOK_SECRET", PREVIOUS_SECRET)));
        RequestSpec paid = post("evt-paid", "hooks", "/flaky", "{\"type\":\"order.paid\",\"order\":1}",
                "order-1-paid", null);
        harness.send("k", paid);
        harness.send("k", post("evt-shipped", "hooks", "/in", "{\"type\":\"order.shipped\"}", null, null));
        harness.send("k", post("evt-dotted", "hooks", "/in", "{}", "order.2.paid", null));
        harness.start();

        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(List.of("evt-paid", "evt-shipped", "evt-dotted"),
                Duration.ofSeconds(60));
        harness.send("k", paid); // published again, as a replay publishes it
        harness.awaitOutcomes(4, Duration.ofSeconds(60));

        assertThat(only(outcomes.results(), "evt-paid").get("attempts").asInt()).isEqualTo(2);
        ObjectNode dotted = only(outcomes.deadLetters(), "evt-dotted");
        assertThat(dotted.get("category").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(dotted.get("errorMessage").asText()).contains("must not hold '.'");
        List<RecordingTarget.Arrival> flaky = target.arrivals("/flaky");
        assertThat(flaky).hasSize(3).allSatisfy(arrival ->
                assertThat(arrival.request().getHeaders().get("webhook-id")).isEqualTo("order-1-paid"));
        assertThat(target.arrivals("/in")).singleElement().satisfies(arrival ->
                assertThat(arrival.request().getHeaders().get("webhook-id")).isEqualTo("evt-shipped"));
        Instant now = Instant.now();
        for (RecordingTarget.Arrival arrival : target.arrivals("/")) {
            Map<String, String> headers = headers(arrival.request());
            byte[] body = arrival.request().getBody().toByteArray();
            assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
            assertThat(new StandardWebhooksVerifier(SIGNING_SECRET, now).verify(headers, body))
                    .as("the new secret verifies " + arrival.target()).isTrue();
            assertThat(new StandardWebhooksVerifier(PREVIOUS_SECRET, now).verify(headers, body))
                    .as("the old secret verifies " + arrival.target()).isTrue();
        }
    }

    @Test
    void secretsAndTokensReachOnlyTheTokenEndpointAndTheTargetNeverTopicsLogsMetricsOrVerboseOutput()
            throws Exception {
        TokenEndpoint tokens = new TokenEndpoint(closing);
        RecordingTarget target = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/pay/fail")
                ? RecordingTarget.status(400) : RecordingTarget.status(200)));
        Map<String, String> environment = Map.of("CLIENT_SECRET", CLIENT_SECRET, "HOOK_SECRET", SIGNING_SECRET);
        Map<String, String> targetSettings = new LinkedHashMap<>(oauth2Target("pay", target.url("/pay"),
                tokens.url()));
        targetSettings.put("courier.targets.pay.signing", "standard-webhooks");
        targetSettings.put("courier.targets.pay.signing.secret", "${env:HOOK_SECRET}");
        targetSettings.put("courier.targets.pay.oauth2.client-auth", "post");
        targetSettings.putAll(oauth2Target("refusing", target.url("/refusing"),
                tokens.server.url("/refuse/token")));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, targetSettings, environment));
        Metrics metrics = closing.add(new Metrics());
        ListAppender<ILoggingEvent> logs = captureLogs();
        try {
            harness.send("k", post("ok", "pay", "/ok", "{\"amount\":5}", "pay-ok", null));
            harness.send("k", post("fail", "pay", "/fail", "{\"amount\":6}", "pay-fail", null));
            harness.send("k", post("refused", "refusing", "/x", "{}", "refused-1", 2));
            harness.start(caller(harness.settings(), new TokenMeters(metrics.registry())));

            OutcomeAudit.Outcomes outcomes = harness.awaitEvery(List.of("ok", "fail", "refused"),
                    Duration.ofSeconds(60));

            assertThat(only(outcomes.results(), "ok").get("statusCode").asInt()).isEqualTo(200);
            assertThat(only(outcomes.deadLetters(), "fail").get("category").asText()).isEqualTo("HTTP_CLIENT_ERROR");
            assertThat(only(outcomes.deadLetters(), "refused").get("errorMessage").asText())
                    .endsWith("token endpoint " + tokens.server.url("/refuse/token") + " answered HTTP 401"
                            + " (invalid_client)");
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
            ((Logger) LoggerFactory.getLogger("dev.courier")).setLevel(Level.INFO);
        }
        // where the secrets must go
        RecordedRequest fetch = tokens.server.arrivals("/oauth/token").get(0).request();
        assertThat(fetch.getBody().utf8()).contains("client_secret=" + CLIENT_SECRET);
        RecordingTarget.Arrival ok = target.arrivals("/pay/ok").get(0);
        assertThat(ok.request().getHeaders().get("Authorization")).isEqualTo(bearer(1));
        assertThat(new StandardWebhooksVerifier(SIGNING_SECRET, Instant.now())
                .verify(headers(ok.request()), ok.request().getBody().toByteArray())).isTrue();
        assertThat(target.arrivals("/refusing")).isEmpty();
        // and where they must not
        List<String> canaries = List.of(CLIENT_SECRET, TOKEN_CANARY, SIGNING_SECRET,
                SIGNING_SECRET.substring("whsec_".length()), SIGNING_KEY_TEXT);
        assertThat(logs.list).as("log lines while the engine ran").isNotEmpty().allSatisfy(event -> {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            canaries.forEach(canary -> assertThat(text).doesNotContain(canary));
        });
        String scrape = metrics.scrape();
        Scrape parsed = Scrape.parse(scrape);
        assertThat(parsed.value("courier_target_token_fetches_total", Map.of("target", "pay", "result", "success")))
                .isEqualTo(1);
        assertThat(parsed.value("courier_target_token_fetches_total",
                Map.of("target", "refusing", "result", "rejected"))).isGreaterThanOrEqualTo(1);
        assertThat(parsed.series("courier_target_token_age_seconds", Map.of("target", "pay"))).hasSize(1);
        String topics = raw(harness, harness.settings().topics().results())
                + raw(harness, harness.settings().topics().deadLetters());
        for (String canary : canaries) {
            assertThat(scrape).as("the metrics").doesNotContain(canary);
            assertThat(topics).as("the outcome topics").doesNotContain(canary);
        }

        List<String> settings = new ArrayList<>(List.of(
                "-Dkafka.bootstrap.servers=" + sandbox.bootstrapServers(),
                "-Dcourier.schema-registry.url=" + sandbox.registryUrl(),
                "-Dcourier.topics.requests=" + harness.settings().topics().requests(),
                "-Dcourier.topics.results=" + harness.settings().topics().results(),
                "-Dcourier.topics.dead-letters=" + harness.settings().topics().deadLetters()));
        targetSettings.forEach((key, value) -> settings.add("-D" + key + "=" + value));
        Cli.Run consumed = Cli.runWithEnvironment(environment, "", with(settings, "--verbose", "consume", "--topic",
                "dead-letters", "--from-beginning", "--max", "2", "--timeout", "20s"));
        Cli.Run produced = Cli.runWithEnvironment(environment, "{\"id\":\"v\",\"target\":\"pay\",\"path\":\"/v\"}\n",
                with(settings, "--verbose", "produce"));
        // only courier run reads the target secrets, so only it can refuse one
        Cli.Run refusedSecret = Cli.runWithEnvironment(Map.of("CLIENT_SECRET", CLIENT_SECRET,
                "HOOK_SECRET", "whsec_" + CLIENT_SECRET), "", with(settings, "--verbose", "run"));
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(refusedSecret.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(refusedSecret.err()).contains("courier.targets.pay.signing.secret");
        for (Cli.Run run : List.of(consumed, produced, refusedSecret)) {
            for (String canary : canaries) {
                assertThat(run.out() + run.err()).as("--verbose output").doesNotContain(canary);
            }
        }
    }

    @Test
    void theExamplesOAuth2AndSignedTargetsGoThroughTheDemoTargetsTokenEndpointAndSignatureCheck() throws Exception {
        DemoTarget demo = closing.add(DemoTarget.start(0));
        Properties examples = new Properties();
        try (var in = Files.newBufferedReader(Path.of("examples/courier.properties"))) {
            examples.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        examples.stringPropertyNames().stream()
                .filter(key -> key.startsWith("courier.targets.demo-oauth2.")
                        || key.startsWith("courier.targets.demo-signed."))
                .forEach(key -> settings.put(key, examples.getProperty(key)
                        .replace("http://127.0.0.1:8090", demo.url().toString())));
        assertThat(settings).containsKeys("courier.targets.demo-oauth2.oauth2.token-url",
                "courier.targets.demo-signed.signing.secret");
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, settings));
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("examples/auth-requests.jsonl"), StandardCharsets.UTF_8)) {
            ObjectNode event = (ObjectNode) json.readTree(line);
            String key = event.remove("key").asText();
            RequestSpec request = EventJson.requestFromJson(event);
            ids.add(request.id());
            harness.send(key, request);
        }
        harness.start();

        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(60));

        assertThat(outcomes.deadLetters()).isEmpty();
        for (String id : ids) {
            assertThat(only(outcomes.results(), id).get("statusCode").asInt()).as(id).isEqualTo(200);
        }
        assertThat(only(outcomes.results(), "req-0102").get("attempts").asInt()).as("/flaky").isEqualTo(3);
        assertThat(only(outcomes.results(), "req-0104").get("attempts").asInt()).as("/flaky").isEqualTo(3);
    }

    private static Map<String, String> headers(RecordedRequest request) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : request.getHeaders().names()) {
            headers.put(name, request.getHeaders().get(name));
        }
        return headers;
    }

    private static String[] with(List<String> settings, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(settings);
        return all.toArray(String[]::new);
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        ((Logger) LoggerFactory.getLogger("dev.courier")).setLevel(Level.DEBUG);
        return appender;
    }

    /** Every record value of {@code topic}, as text, read raw (not through the codec). */
    private static String raw(EngineHarness harness, String topic) {
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("credentials-raw")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    all.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
