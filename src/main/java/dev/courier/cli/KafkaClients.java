package dev.courier.cli;

import dev.courier.config.Settings;
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
final class KafkaClients {

    private final Settings settings;

    KafkaClients(Settings settings) {
        this.settings = settings;
    }

    Admin admin(String clientId) {
        Map<String, Object> config = new HashMap<>();
        int timeoutMs = (int) settings.connectTimeout().toMillis();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        config.putAll(settings.kafka().clientProperties());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return Admin.create(config);
    }

    /** A producer of raw bytes that waits for every in-sync replica and never duplicates on its own retries. */
    KafkaProducer<byte[], byte[]> producer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis());
        config.putAll(settings.kafka().clientProperties());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /**
     * The engine's consumer: a member of {@code courier.group-id} that commits offsets itself, reads
     * committed data only, starts a new group at the earliest offset, and uses cooperative rebalancing
     * so partitions that do not move keep flowing during a rebalance.
     */
    KafkaConsumer<byte[], byte[]> engineConsumer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, settings.dispatch().maxInFlight()));
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.connectTimeout().toMillis());
        config.putAll(settings.kafka().clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    /**
     * The engine's producer of outcomes: idempotent, {@code acks=all}, batching for a few
     * milliseconds, with a buffer large enough that the in-flight bound, not the buffer, limits what
     * waits to be sent (so sending does not block a worker).
     */
    KafkaProducer<byte[], byte[]> outcomeProducer(String clientId) {
        long perOutcome = settings.http().maxResponseBytes() + 16 * 1024;
        long buffer = Math.max(32L << 20, Math.min(512L << 20, settings.dispatch().maxInFlight() * perOutcome));
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, buffer);
        config.putAll(settings.kafka().clientProperties());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /**
     * A consumer of raw bytes outside any group, for partitions the caller assigns itself. It reads
     * committed data only, so transactional outcomes show once their transaction commits.
     */
    KafkaConsumer<byte[], byte[]> standaloneConsumer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.connectTimeout().toMillis());
        config.putAll(settings.kafka().clientProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }
}
