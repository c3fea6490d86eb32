package dev.courier.engine;

import dev.courier.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds Kafka clients from the settings: Courier's defaults first, then the user's {@code kafka.*}
 * settings over them, then what Courier's correctness depends on (serializers, offset handling,
 * {@code acks=all} with idempotence, read_committed), which no setting may change.
 */
public final class KafkaClients {

    private final Settings settings;

    /** Clients for a command that gives up when Kafka has not answered within {@code courier.connect-timeout}. */
    public KafkaClients(Settings settings) {
        this.settings = settings;
        ConnectionWarnings.expectAnswerWithin(settings.connectTimeout());
    }

    public Admin admin(String clientId) {
        int timeoutMs = (int) settings.connectTimeout().toMillis();
        return Admin.create(layered(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000)), clientId, Map.of()));
    }

    /** A producer of raw bytes that waits for every in-sync replica and never duplicates on its own retries. */
    public KafkaProducer<byte[], byte[]> producer(String clientId) {
        return bytesProducer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis()), clientId);
    }

    /**
     * The engine's consumer: a member of {@code courier.group-id} that commits offsets itself, reads
     * committed data only, starts a new group at the earliest offset, and uses cooperative rebalancing
     * so partitions that do not move keep flowing during a rebalance. Its session timeout is 10 s rather
     * than Kafka's 45 s, so the partitions of an instance that crashed move on sooner; heartbeats come
     * from the client's own thread, so a slow target cannot make it miss them. Its blocking calls (the
     * committed offsets, a synchronous commit) wait at most {@code courier.commit.timeout}, so the intake
     * thread keeps hearing a shutdown while the cluster does not answer.
     */
    KafkaConsumer<byte[], byte[]> engineConsumer(String clientId) {
        Map<String, Object> config = bytesConsumerConfig(Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, settings.dispatch().maxInFlight()),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.dispatch().commitTimeout().toMillis()),
                clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        return new KafkaConsumer<>(config);
    }

    /**
     * A producer for publishing many records as fast as the cluster takes them ({@code courier replay}): larger
     * batches than {@link #producer}, so compression and requests are paid per 256 KiB rather than per record.
     */
    public KafkaProducer<byte[], byte[]> bulkProducer(String clientId) {
        return bytesProducer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis()), clientId);
    }

    /**
     * The engine's producer of outcomes: idempotent, {@code acks=all}, batching for a few
     * milliseconds, with a buffer large enough that the in-flight bound, not the buffer, limits what
     * waits to be sent (so sending does not block a worker).
     */
    KafkaProducer<byte[], byte[]> outcomeProducer(String clientId) {
        return bytesProducer(outcomeProducerDefaults(), clientId);
    }

    private Map<String, Object> outcomeProducerDefaults() {
        long perOutcome = settings.http().maxResponseBytes() + 16 * 1024;
        long buffer = Math.max(32L << 20, Math.min(512L << 20, settings.dispatch().maxInFlight() * perOutcome));
        return Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, buffer);
    }

    /**
     * The exactly-once engine's producer of outcomes: {@link #outcomeProducer}'s defaults, a transaction
     * timeout of {@link #DEFAULT_TRANSACTION_TIMEOUT_MS} (so readers wait at most that for the open transaction of
     * an instance that crashed), {@code transactionalId}, and {@code max.block.ms} from
     * {@code courier.commit.timeout}, so each step of a transaction blocks intake at most that long.
     */
    KafkaProducer<byte[], byte[]> transactionalProducer(String clientId, String transactionalId) {
        Map<String, Object> defaults = new HashMap<>(outcomeProducerDefaults());
        defaults.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        return new KafkaProducer<>(layered(defaults, clientId, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.dispatch().commitTimeout().toMillis(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
    }

    /** Courier's default for {@code kafka.transaction.timeout.ms}. */
    static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;
    /**
     * What the status view's consumer waits for before the broker answers its fetch: enough statuses to be worth a
     * turn of the view's loop, or {@link #STATUS_FETCH_MAX_WAIT_MS}, whichever comes first. Open loop at 1,000
     * events/s: p50 58 -> 15 ms, p99 348 -> 40 ms on the development machine (docs/performance.md).
     */
    static final int STATUS_FETCH_MIN_BYTES = 64 * 1024;
    /** At most how much later than its outcome a status can be seen in the view because of that batching. */
    static final int STATUS_FETCH_MAX_WAIT_MS = 250;

    /** The transaction timeout the transactional producer gets: {@code kafka.transaction.timeout.ms} or Courier's default. */
    Duration transactionTimeout() {
        String configured = settings.kafka().clientProperties().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return Duration.ofMillis(configured == null ? DEFAULT_TRANSACTION_TIMEOUT_MS : Long.parseLong(configured.trim()));
    }

    /** The producer's request size limit: {@code kafka.max.request.size} or Kafka's default of 1 MiB. */
    int maxRequestBytes() {
        String configured = settings.kafka().clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? 1_048_576 : Integer.parseInt(configured.trim());
    }

    /**
     * A consumer of raw bytes outside any group, for partitions the caller assigns itself. It reads
     * committed data only, so transactional outcomes show once their transaction commits.
     */
    public KafkaConsumer<byte[], byte[]> standaloneConsumer(String clientId) {
        Map<String, Object> config = bytesConsumerConfig(Map.of(), clientId);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config);
    }

    /**
     * {@link #standaloneConsumer} for reading a range of a topic to its end ({@code courier replay}): a fetch that
     * finds nothing new returns after 50 ms rather than Kafka's 500, since the reader stops at the end anyway.
     */
    public KafkaConsumer<byte[], byte[]> rangeConsumer(String clientId) {
        Map<String, Object> config = bytesConsumerConfig(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50), clientId);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config);
    }

    /**
     * The status view's Kafka Streams configuration: the user's {@code kafka.*} settings (bootstrap, security) under
     * what the view depends on: its application id, one stream thread, at-least-once processing, committed data only,
     * {@code state.dir} and {@code application.server} (this instance's admin server, for interactive queries). Its
     * stream thread waits up to a second for records when there are none ({@code poll.ms}; Kafka's default is 100 ms):
     * records that come are read at once all the same, and an idle view that owns hundreds of partitions turns its
     * loop over all of them once a second rather than ten times. Its main consumer takes statuses in batches: the
     * broker answers its fetch once {@link #STATUS_FETCH_MIN_BYTES} have come or after
     * {@link #STATUS_FETCH_MAX_WAIT_MS}, where Kafka's default answers each record as it comes. With one status per
     * event, the view's thread otherwise woke for every few records and took the cores the calls needed.
     */
    Map<String, Object> streams(String applicationId, String stateDir, String applicationServer) {
        return layered(Map.of("poll.ms", 1_000,
                "main.consumer." + ConsumerConfig.FETCH_MIN_BYTES_CONFIG, STATUS_FETCH_MIN_BYTES,
                "main.consumer." + ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, STATUS_FETCH_MAX_WAIT_MS),
                "courier-status", Map.of(
                "application.id", applicationId,
                "num.stream.threads", 1,
                "processing.guarantee", "at_least_once",
                "consumer." + ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "state.dir", stateDir,
                "processing.exception.handler.global.enabled", true,
                "application.server", applicationServer));
    }

    private KafkaProducer<byte[], byte[]> bytesProducer(Map<String, Object> defaults, String clientId) {
        return new KafkaProducer<>(layered(defaults, clientId, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
    }

    /**
     * A consumer of raw bytes that never commits on its own and reads committed data only; its blocking calls wait
     * the connect timeout unless {@code defaults} say otherwise.
     */
    private Map<String, Object> bytesConsumerConfig(Map<String, Object> defaults, String clientId) {
        Map<String, Object> withTimeout = new HashMap<>(defaults);
        withTimeout.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.connectTimeout().toMillis());
        return layered(withTimeout, clientId, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** Courier's {@code defaults}, then the user's {@code kafka.*} settings, then {@code required}. */
    private Map<String, Object> layered(Map<String, Object> defaults, String clientId, Map<String, Object> required) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.putAll(settings.kafka().clientProperties());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.putAll(required);
        return config;
    }
}
