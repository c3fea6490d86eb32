package dev.courier.engine;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventCodec;
import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.intake.EngineListener;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.TestSandbox;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One engine under test on topics and a consumer group of its own: publish request events, start the
 * engine, read back the outcomes.
 */
public final class EngineHarness implements AutoCloseable {

    /**
     * The explicit exception to the egress policy that tests open, as the sandbox does: their targets listen on
     * 127.0.0.1 on ephemeral ports. Every other loopback address (127.0.0.2, ::1) stays refused.
     */
    public static final Map<String, String> LOOPBACK_EXCEPTION = Map.of(
            "courier.egress.allow-cidrs", "127.0.0.1/32",
            "courier.egress.allowed-ports", "1024-65535");

    /** Creates a topic named after {@code prefix} with {@code partitions} partitions and returns its name. */
    public interface Topics {
        String newTopic(String prefix, int partitions);
    }

    private final Map<String, String> values;
    private final Settings settings;
    private final KafkaClients kafka;
    private final EventCodec codec;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger sendFailures = new AtomicInteger();
    private Engine engine;

    /** @param overrides settings for this test on top of quick test defaults */
    public EngineHarness(TestSandbox sandbox, int partitions, Map<String, String> overrides) {
        this(sandbox, partitions, overrides, Map.of());
    }

    /** @param environment the process environment as the settings see it (for {@code ${env:VAR}} references) */
    public EngineHarness(TestSandbox sandbox, int partitions, Map<String, String> overrides, Map<String, String> environment) {
        this(sandbox.bootstrapServers(), sandbox.registryUrl(), sandbox::newTopic, partitions, overrides, environment);
    }

    /** On a broker and registry of the caller's own, such as a {@link dev.courier.testkit.PrivateBroker}. */
    public EngineHarness(String bootstrapServers, URI registryUrl, Topics topics, int partitions,
            Map<String, String> overrides) {
        this(bootstrapServers, registryUrl, topics, partitions, overrides, Map.of());
    }

    private EngineHarness(String bootstrapServers, URI registryUrl, Topics topics, int partitions,
            Map<String, String> overrides, Map<String, String> environment) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrap.servers", bootstrapServers);
        values.put("courier.schema-registry.url", registryUrl.toString());
        values.put("courier.topics.requests", topics.newTopic("requests-" + suffix, partitions));
        values.put("courier.topics.results", topics.newTopic("results-" + suffix, partitions));
        values.put("courier.topics.dead-letters", topics.newTopic("dead-letters-" + suffix, partitions));
        values.put("courier.topics.status", topics.newTopic("status-" + suffix, partitions));
        values.put("courier.group-id", "courier-" + suffix);
        values.put("courier.retry.backoff-initial", "20ms");
        values.put("courier.retry.backoff-max", "100ms");
        values.put("courier.commit.interval", "100ms");
        values.put("courier.shutdown.drain-timeout", "5s");
        values.putAll(LOOPBACK_EXCEPTION);
        values.putAll(overrides);
        this.values = Map.copyOf(values);
        this.settings = SettingsLoader.load(SettingSources.none().withEnvironment(environment).withOverrides(values));
        this.kafka = new KafkaClients(settings);
        this.codec = Registry.codec(settings);
        this.producer = kafka.producer("test-requests");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * This harness's settings with {@code extra} on top: the same topics and group, for another
     * instance that differs in a setting or two (say its transactional id).
     */
    public Settings settingsWith(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(extra);
        return SettingsLoader.load(SettingSources.none().withOverrides(merged));
    }

    /**
     * This harness's topics, group and quick test defaults as settings for a {@code courier} child process (the
     * values of its {@code -D} flags), with {@code extra} on top.
     */
    public Map<String, String> processSettings(Map<String, String> extra) {
        Map<String, String> process = new LinkedHashMap<>();
        process.put("kafka.bootstrap.servers", settings.kafka().bootstrapServers());
        process.put("courier.schema-registry.url", settings.registry().url().toString());
        process.put("courier.topics.requests", settings.topics().requests());
        process.put("courier.topics.results", settings.topics().results());
        process.put("courier.topics.dead-letters", settings.topics().deadLetters());
        process.put("courier.topics.status", settings.topics().status());
        process.put("courier.group-id", settings.groupId());
        process.put("courier.retry.backoff-initial", "20ms");
        process.put("courier.commit.interval", "100ms");
        process.putAll(LOOPBACK_EXCEPTION);
        process.putAll(extra);
        return process;
    }

    public KafkaClients kafka() {
        return kafka;
    }

    /** Publishes a request event under {@code key}, with {@code headers} on the record. */
    public void send(String key, RequestSpec request, Map<String, String> headers) {
        try {
            String topic = settings.topics().requests();
            RecordHeaders recordHeaders = new RecordHeaders();
            headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    codec.encodeRequest(topic, request), recordHeaders)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + request.id(), e);
        }
    }

    public void send(String key, RequestSpec request) {
        send(key, request, Map.of());
    }

    /**
     * Publishes a request event under {@code key} without waiting for the broker, for scenarios that
     * publish thousands; {@link #flush()} waits for them all.
     */
    public void sendAsync(String key, RequestSpec request) {
        String topic = settings.topics().requests();
        try {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    codec.encodeRequest(topic, request)), (metadata, error) -> {
                        if (error != null) {
                            sendFailures.incrementAndGet();
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + request.id(), e);
        }
    }

    /**
     * {@link #sendAsync(String, RequestSpec)} to partition {@code partition} of the requests topic, whatever the key,
     * for scenarios that put particular events on particular partitions.
     */
    public void sendAsync(int partition, String key, RequestSpec request) {
        String topic = settings.topics().requests();
        try {
            producer.send(new ProducerRecord<>(topic, partition,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), codec.encodeRequest(topic, request)),
                    (metadata, error) -> {
                        if (error != null) {
                            sendFailures.incrementAndGet();
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + request.id(), e);
        }
    }

    /** Waits until every event sent with {@link #sendAsync} is acknowledged; fails if any was not. */
    public void flush() {
        producer.flush();
        if (sendFailures.get() > 0) {
            throw new IllegalStateException(sendFailures.get() + " events could not be published");
        }
    }

    /** Publishes a raw record, as a producer that is not Courier's might. */
    public void sendRaw(byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(settings.topics().requests(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public EventCodec codec() {
        return codec;
    }

    public Engine start() {
        return start(EngineListener.NONE);
    }

    public Engine start(EngineListener listener) {
        engine = Engine.start(settings, listener);
        return engine;
    }

    /** Starts the engine with {@code caller} as its HTTP caller, which it takes over (and closes). */
    public Engine start(dev.courier.http.HttpCaller caller) {
        engine = Engine.start(settings, EngineListener.NONE, caller);
        return engine;
    }

    /** Starts the engine with host names resolved by {@code resolver} (a map of test names, never the real DNS). */
    public Engine start(dev.courier.http.HostResolver resolver) {
        engine = Engine.start(settings, EngineListener.NONE, resolver);
        return engine;
    }

    /** Waits until {@code count} outcomes are on the topics, at most {@code timeout}, and returns them all. */
    public OutcomeAudit.Outcomes awaitOutcomes(int count, Duration timeout) {
        OutcomeAudit audit = new OutcomeAudit(kafka, codec);
        return await("" + count + " outcomes").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> audit.read(settings.topics().results(), settings.topics().deadLetters()),
                        outcomes -> outcomes.results().size() + outcomes.deadLetters().size() >= count);
    }

    /**
     * Waits until every one of {@code ids} has an outcome, at most {@code timeout}, and returns the outcomes on the
     * topics then (which may include repeats, so counting them is not enough in at-least-once mode).
     */
    public OutcomeAudit.Outcomes awaitEvery(List<String> ids, Duration timeout) {
        await("every event has an outcome").atMost(timeout).pollInterval(Duration.ofMillis(300))
                .until(() -> outcomes().missing(ids).isEmpty());
        return outcomes();
    }

    /** The outcomes on the topics now. */
    public OutcomeAudit.Outcomes outcomes() {
        try {
            return new OutcomeAudit(kafka, codec).read(settings.topics().results(), settings.topics().deadLetters());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode only(List<ObjectNode> events, String requestId) {
        List<ObjectNode> matching = events.stream()
                .filter(e -> e.has("requestId") && e.get("requestId").textValue().equals(requestId)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one outcome for " + requestId + " but found " + matching);
        }
        return matching.get(0);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** A GET of {@code url} with id {@code id}. */
    public static RequestSpec get(String id, String url) {
        return request(id, "GET", url, null, null);
    }

    public static RequestSpec request(String id, String method, String url, byte[] body, String idempotencyKey) {
        return new RequestSpec(id, method, url, null, null, Map.of(), body == null ? null : dev.courier.model.Bytes.copyOf(body),
                body == null ? null : "application/json", null, null, null, idempotencyKey, "corr-" + id, null,
                Map.of("test", "engine"));
    }
}
