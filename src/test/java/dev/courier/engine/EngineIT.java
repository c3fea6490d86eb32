package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static dev.courier.engine.EngineHarness.only;
import static dev.courier.engine.EngineHarness.request;
import static dev.courier.testkit.RecordingTarget.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.intake.EngineListener;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.Closing;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every path an event can take through the engine, against a real broker, registry and HTTP target. */
@WithSandbox
@Timeout(120)
class EngineIT {

    private static final Duration OUTCOMES = Duration.ofSeconds(60);

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    EngineIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void anEventThatSucceedsBecomesOneResultKeyedAndHeadedLikeItsRequest() throws Exception {
        RecordingTarget target = target(request -> new MockResponse.Builder().code(200)
                .addHeader("X-Answer", "42").body("hello").build());
        EngineHarness engine = harness(1, Map.of());
        RequestSpec request = get("ok-1", target.url("/ok?x=1"));
        engine.send("order-7", request, Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        engine.start();

        ObjectNode result = only(engine.awaitOutcomes(1, OUTCOMES).results(), "ok-1");

        assertThat(result.get("statusCode").intValue()).isEqualTo(200);
        assertThat(result.get("attempts").intValue()).isEqualTo(1);
        assertThat(result.get("body").textValue()).isEqualTo("hello");
        assertThat(result.get("headers").get("X-Answer").textValue()).isEqualTo("42");
        assertThat(result.get("correlationId").textValue()).isEqualTo("corr-ok-1");
        assertThat(result.get("targetHost").textValue()).isEqualTo(java.net.URI.create(target.url("/")).getHost());
        assertThat(result.get("attributes").get("test").textValue()).isEqualTo("engine");
        assertThat(result.get("bodyTruncated").booleanValue()).isFalse();
        ConsumerRecord<byte[], byte[]> record = onlyRecord(engine, engine.settings().topics().results());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-7");
        assertThat(header(record, "courier-request-id")).isEqualTo("ok-1");
        assertThat(header(record, "courier-correlation-id")).isEqualTo("corr-ok-1");
        assertThat(header(record, "traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(target.arrivals("/ok")).hasSize(1);
    }

    @Test
    void twoServiceUnavailableAnswersThenOkMakeOneResultWithThreeAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RecordingTarget target = target(request -> calls.incrementAndGet() <= 2 ? status(503) : status(200));
        EngineHarness engine = harness(1, Map.of());
        engine.send("k", get("flaky-1", target.url("/flaky")));
        engine.start();

        OutcomeAudit.Outcomes outcomes = engine.awaitOutcomes(1, OUTCOMES);

        assertThat(only(outcomes.results(), "flaky-1").get("attempts").intValue()).isEqualTo(3);
        assertThat(outcomes.deadLetters()).isEmpty();
        assertThat(target.arrivals("/flaky")).hasSize(3);
    }

    @Test
    void notFoundIsADeadLetterHttpClientErrorAfterOneAttemptWithTheWholeRequest() throws Exception {
        RecordingTarget target = target(request -> status(404));
        EngineHarness engine = harness(1, Map.of());
        RequestSpec request = request("missing-1", "POST", target.url("/missing"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null);
        engine.send("k", request);
        engine.start();

        ObjectNode deadLetter = only(engine.awaitOutcomes(1, OUTCOMES).deadLetters(), "missing-1");

        assertThat(deadLetter.get("category").textValue()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(deadLetter.get("attempts").intValue()).isEqualTo(1);
        assertThat(deadLetter.get("lastStatusCode").intValue()).isEqualTo(404);
        assertThat(deadLetter.get("request").get("body").textValue()).isEqualTo("{\"a\":1}");
        assertThat(deadLetter.get("sourceTopic").textValue()).isEqualTo(engine.settings().topics().requests());
        assertThat(deadLetter.get("sourceOffset").longValue()).isZero();
        assertThat(deadLetter.get("rawKeyBase64").textValue()).isEqualTo("aw==");
    }

    @Test
    void aTargetThatIsAlwaysUnavailableEndsInADeadLetterAfterTheMaximumAttempts() throws Exception {
        RecordingTarget target = target(request -> status(503));
        EngineHarness engine = harness(1, Map.of("courier.retry.max-attempts", "3"));
        engine.send("k", get("down-1", target.url("/down")));
        engine.start();

        ObjectNode deadLetter = only(engine.awaitOutcomes(1, OUTCOMES).deadLetters(), "down-1");

        assertThat(deadLetter.get("category").textValue()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(deadLetter.get("attempts").intValue()).isEqualTo(3);
        assertThat(deadLetter.get("lastStatusCode").intValue()).isEqualTo(503);
        assertThat(target.arrivals("/down")).hasSize(3);
    }

    @Test
    void retryAfterIsHonouredBeforeTheNextAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RecordingTarget target = target(request -> calls.incrementAndGet() == 1
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build()
                : status(200));
        EngineHarness engine = harness(1, Map.of());
        engine.send("k", get("slow-down-1", target.url("/limited")));
        engine.start();

        engine.awaitOutcomes(1, OUTCOMES);

        List<RecordingTarget.Arrival> arrivals = target.arrivals("/limited");
        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1).nanos() - arrivals.get(0).nanos()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aReadTimeoutIsRetriedUntilTheAttemptsAreUsedUp() throws Exception {
        RecordingTarget target = target(request -> new MockResponse.Builder().code(200)
                .headersDelay(2, TimeUnit.SECONDS).build());
        EngineHarness engine = harness(1, Map.of("courier.retry.max-attempts", "2", "courier.http.read-timeout", "300ms"));
        engine.send("k", get("timeout-1", target.url("/stuck")));
        engine.start();

        ObjectNode deadLetter = only(engine.awaitOutcomes(1, OUTCOMES).deadLetters(), "timeout-1");

        assertThat(deadLetter.get("category").textValue()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(deadLetter.get("attempts").intValue()).isEqualTo(2);
        assertThat(deadLetter.has("lastStatusCode")).isFalse();
        assertThat(deadLetter.get("errorMessage").textValue()).containsIgnoringCase("timeout");
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNotRetriedAfterAResetAndOneWithAKeyIs() throws Exception {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        RecordingTarget target = target(request -> calls.computeIfAbsent(request.getTarget(), t -> new AtomicInteger())
                .incrementAndGet() == 1
                ? new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build()
                : status(201));
        EngineHarness engine = harness(1, Map.of());
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        engine.send("a", request("unsafe-1", "POST", target.url("/reset/unsafe"), body, null));
        engine.send("b", request("safe-1", "POST", target.url("/reset/safe"), body, "charge-1"));
        engine.start();

        OutcomeAudit.Outcomes outcomes = engine.awaitOutcomes(2, OUTCOMES);

        ObjectNode unsafe = only(outcomes.deadLetters(), "unsafe-1");
        assertThat(unsafe.get("category").textValue()).isEqualTo("UNSAFE_TO_RETRY");
        assertThat(unsafe.get("attempts").intValue()).isEqualTo(1);
        assertThat(target.arrivals("/reset/unsafe")).hasSize(1);
        assertThat(only(outcomes.results(), "safe-1").get("attempts").intValue()).isEqualTo(2);
        assertThat(target.arrivals("/reset/safe")).hasSize(2)
                .allSatisfy(a -> assertThat(a.request().getHeaders().get("Idempotency-Key")).isEqualTo("charge-1"));
    }

    @Test
    void eachPoisonRecordBecomesADeadLetterAndTheStreamGoesOn() throws Exception {
        RecordingTarget target = target(request -> status(200));
        EngineHarness engine = harness(1, Map.of());
        byte[] valid = engine.codec().encodeRequest(engine.settings().topics().requests(), get("x", target.url("/x")));
        engine.sendRaw("bad-magic".getBytes(StandardCharsets.UTF_8), "{\"id\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        engine.sendRaw("unknown-schema".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(valid.length).put(valid).put(1, (byte) 0x7f).array());
        engine.sendRaw("truncated".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(valid, valid.length - 3));
        engine.sendRaw("tombstone".getBytes(StandardCharsets.UTF_8), null);
        engine.send("relative", get("relative-url", "/orders/1"));
        engine.send("method", new RequestSpec("bad-method", "FETCH", target.url("/x"), null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of()));
        engine.send("after", get("after-poison", target.url("/after")));
        engine.start();

        OutcomeAudit.Outcomes outcomes = engine.awaitOutcomes(7, OUTCOMES);

        assertThat(only(outcomes.results(), "after-poison").get("statusCode").intValue()).isEqualTo(200);
        Map<String, String> categories = new HashMap<>();
        Map<String, String> messages = new HashMap<>();
        for (ObjectNode deadLetter : outcomes.deadLetters()) {
            String key = new String(java.util.Base64.getDecoder().decode(deadLetter.get("rawKeyBase64").textValue()),
                    StandardCharsets.UTF_8);
            categories.put(key, deadLetter.get("category").textValue());
            messages.put(key, deadLetter.get("errorMessage").textValue());
        }
        assertThat(categories).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bad-magic", "UNDECODABLE", "unknown-schema", "UNDECODABLE", "truncated", "UNDECODABLE",
                "tombstone", "UNDECODABLE", "relative", "INVALID_REQUEST", "method", "INVALID_REQUEST"));
        assertThat(messages.get("bad-magic")).contains("not the Confluent magic byte");
        assertThat(messages.get("unknown-schema")).contains("which the registry does not know");
        assertThat(messages.get("truncated")).contains("truncated");
        assertThat(messages.get("tombstone")).contains("tombstone");
        assertThat(messages.get("relative")).contains("must be an absolute http or https URL");
        assertThat(messages.get("method")).contains("unknown method \"FETCH\"");
        assertThat(outcomes.deadLetters()).filteredOn(d -> d.get("category").textValue().equals("UNDECODABLE"))
                .allSatisfy(d -> assertThat(d.has("request")).isFalse())
                .allSatisfy(d -> assertThat(d.has("rawValueBase64")).as("the value is not kept by default").isFalse())
                .filteredOn(d -> !d.get("errorMessage").textValue().contains("tombstone"))
                .allSatisfy(d -> assertThat(d.get("errorMessage").textValue()).contains(" bytes, SHA-256 ",
                        "is not kept; courier.dead-letters.keep-raw-value=true keeps it"));
        assertThat(outcomes.deadLetters()).filteredOn(d -> d.get("category").textValue().equals("INVALID_REQUEST"))
                .allSatisfy(d -> assertThat(d.has("request")).isTrue());
    }

    @Test
    void anEventArrivingWhileTheRegistryIsDownWaitsForItInsteadOfBecomingADeadLetter() throws Exception {
        RecordingTarget target = target(request -> status(200));
        PausableProxy registry = new PausableProxy(sandbox.registryUrl());
        closing.add(registry);
        EngineHarness engine = harness(1, Map.of("courier.schema-registry.url", registry.url().toString()));
        EngineHarness producer = harness(1, Map.of("courier.topics.requests", engine.settings().topics().requests()));
        engine.start();
        registry.pause();

        producer.send("k", get("during-outage", target.url("/after-outage")));
        Thread.sleep(3_000); // the engine retries the registry meanwhile
        assertThat(target.arrivals("/after-outage")).isEmpty();
        assertThat(engine.outcomes().countById()).isEmpty();
        registry.resume();

        OutcomeAudit.Outcomes outcomes = engine.awaitOutcomes(1, OUTCOMES);
        assertThat(only(outcomes.results(), "during-outage").get("statusCode").intValue()).isEqualTo(200);
        assertThat(outcomes.deadLetters()).isEmpty();
    }

    @Test
    void aGlobalRateLimitSpacesAttemptsToTheConfiguredRate() throws Exception {
        RecordingTarget target = target(request -> status(200));
        int events = 21;
        double rate = 20;
        EngineHarness engine = harness(3, Map.of("courier.rate.global", String.valueOf(rate),
                "courier.rate.global-burst", "1", "courier.ordering", "unordered"));
        for (int i = 0; i < events; i++) {
            engine.send("k" + i, get("rate-" + i, target.url("/rated")));
        }
        engine.start();

        engine.awaitOutcomes(events, OUTCOMES);

        List<RecordingTarget.Arrival> arrivals = target.arrivals("/rated");
        assertThat(arrivals).hasSize(events);
        Duration spread = Duration.ofNanos(arrivals.get(events - 1).nanos() - arrivals.get(0).nanos());
        assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis((long) ((events - 1) / rate * 1000) - 20));
    }

    @Test
    void aTargetThatNeverAnswersHoldsInFlightAtTheBoundWithoutARebalance() throws Exception {
        RecordingTarget target = target(request -> new MockResponse.Builder().code(200)
                .headersDelay(60, TimeUnit.SECONDS).build());
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger revocations = new AtomicInteger();
        // one host: its share of the bound is the whole bound, so all five events are in calls at once
        EngineHarness engine = harness(2, Map.of("courier.max-in-flight", "5", "courier.max-in-flight-per-key", "5",
                "courier.workers", "8", "courier.http.call-timeout", "60s", "courier.ordering", "unordered",
                "courier.shutdown.drain-timeout", "1s", "kafka.max.poll.interval.ms", "3000"));
        for (int i = 0; i < 40; i++) {
            engine.send("k" + i, get("hang-" + i, target.url("/hang")));
        }
        engine.start(new EngineListener() {
            @Override
            public void onTaken(dev.courier.publish.Origin origin) {
                taken.incrementAndGet();
            }

            @Override
            public void onRevoked(Collection<TopicPartition> partitions) {
                revocations.incrementAndGet();
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> target.arrivals("/hang").size() == 5);
        Thread.sleep(8_000); // longer than max.poll.interval.ms: a consumer that stopped polling would be evicted

        assertThat(taken.get()).isEqualTo(5);
        assertThat(target.arrivals("/hang")).hasSize(5);
        assertThat(revocations.get()).isZero();
    }

    @Test
    void eventsWithTheSameKeyReachTheTargetOneAtATimeInOffsetOrder() throws Exception {
        Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
        List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());
        RecordingTarget target = target(request -> {
            String key = request.getUrl().queryParameter("key");
            if (active.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.add(request.getTarget());
            }
            try {
                Thread.sleep(Integer.parseInt(request.getUrl().queryParameter("seq")) % 3 * 15L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            active.get(key).decrementAndGet();
            return status(200);
        });
        EngineHarness engine = harness(2, Map.of("courier.ordering", "key", "courier.workers", "8"));
        for (int seq = 0; seq < 20; seq++) {
            for (String key : List.of("alpha", "beta", "gamma")) {
                engine.send(key, get(key + "-" + seq, target.url("/ordered?key=" + key + "&seq=" + seq)));
            }
        }
        engine.start();

        engine.awaitOutcomes(60, OUTCOMES);

        assertThat(overlaps).isEmpty();
        for (String key : List.of("alpha", "beta", "gamma")) {
            List<Integer> seen = target.arrivals("/ordered?key=" + key + "&").stream()
                    .map(a -> Integer.parseInt(a.request().getUrl().queryParameter("seq"))).toList();
            assertThat(seen).as("arrival order of " + key).isSorted().hasSize(20);
        }
    }

    @Test
    void stoppingTheEngineDrainsCommitsAndARestartRedoesNothing() throws Exception {
        RecordingTarget target = target(request -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status(200);
        });
        EngineHarness first = harness(2, Map.of("courier.workers", "4", "courier.ordering", "unordered"));
        for (int i = 0; i < 40; i++) {
            first.send("k" + i, get("drain-" + i, target.url("/drain?i=" + i)));
        }
        Engine engine = first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> target.arrivals("/drain").size() >= 8);

        engine.close();
        int callsBeforeRestart = target.arrivals("/drain").size();
        OutcomeAudit.Outcomes afterStop = first.outcomes();
        assertThat(afterStop.duplicated()).isEmpty();
        assertThat(afterStop.countById()).hasSize(callsBeforeRestart);

        Engine again = first.start();
        OutcomeAudit.Outcomes all = first.awaitOutcomes(40, OUTCOMES);
        again.close();

        assertThat(all.duplicated()).isEmpty();
        assertThat(all.countById()).hasSize(40);
        assertThat(target.arrivals("/drain")).hasSize(40);
    }

    private RecordingTarget target(java.util.function.Function<RecordedRequest, MockResponse> script) throws Exception {
        RecordingTarget target = new RecordingTarget(script);
        closing.add(target);
        return target;
    }

    private EngineHarness harness(int partitions, Map<String, String> overrides) {
        EngineHarness harness = new EngineHarness(sandbox, partitions, overrides);
        closing.add(harness);
        return harness;
    }

    private static ConsumerRecord<byte[], byte[]> onlyRecord(EngineHarness engine, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = engine.kafka().standaloneConsumer("test-read")) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
