package dev.courier.bench;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryClient;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The harness's side of the broker and registry: creates topics, and writes request events in the Confluent wire
 * format with Courier's own codec, exactly as {@code courier produce} writes them. Not thread-safe except
 * {@link #event}.
 */
final class Cluster implements AutoCloseable {

    static final int PARTITIONS = 6;
    /** Distinct Kafka keys of the events, so KEY ordering has 1,000 lanes. */
    static final int KEYS = 1_000;

    private final String bootstrap;
    private final URI registry;
    private final Admin admin;
    private final EventCodec codec;
    private final byte[] body;

    Cluster(String bootstrap, URI registry) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.codec = EventCodec.create(SchemaRegistryClient.builder(registry).build(), true);
        this.body = jsonBody(900);
    }

    String bootstrap() {
        return bootstrap;
    }

    URI registry() {
        return registry;
    }

    /** Creates a requests topic (producer timestamps) with the benchmark's partition count. */
    void createRequestsTopic(String name) {
        createTopic(name, PARTITIONS, Map.of());
    }

    /** Creates {@code name} with {@code partitions} partitions and {@code configs}. */
    void createTopic(String name, int partitions, Map<String, String> configs) {
        create(new NewTopic(name, partitions, (short) 1).configs(configs));
    }

    /** Creates an outcome topic whose records carry the broker's append time: when the outcome was acknowledged. */
    void createOutcomeTopic(String name) {
        create(new NewTopic(name, PARTITIONS, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")));
    }

    /**
     * Creates the status topic every Courier of the bench writes ({@link StatusCost#TOPIC}), as {@code courier topics
     * create} does: compacted and deleted after a day.
     */
    void createStatusTopic() {
        create(new NewTopic(StatusCost.TOPIC, PARTITIONS, (short) 1).configs(Map.of("cleanup.policy", "compact,delete",
                "retention.ms", Long.toString(TimeUnit.DAYS.toMillis(1)))));
    }

    /** The sum of the end offsets of every partition of {@code topics}: records ever written to them. */
    long endOffsetSum(List<String> topics) {
        if (topics.isEmpty()) {
            return 0;
        }
        try {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(partition -> latest.put(
                            new org.apache.kafka.common.TopicPartition(name, partition.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the end offsets of " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topics + ": " + e, e);
        }
    }

    /** The topics whose names start with {@code prefix}. */
    List<String> topicsStartingWith(String prefix) {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).sorted().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e, e);
        }
    }

    private void create(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic.name() + ": " + e, e);
        }
    }

    /**
     * Waits until the broker describes each topic with {@code partitions} partitions, every one with a leader: a
     * topic of hundreds of partitions is created before the broker serves all of them, and a {@code courier run}
     * started at once found its status topic missing.
     */
    void awaitTopics(List<String> names, int partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .allMatch(description -> description.partitions().size() == partitions
                                && description.partitions().stream().allMatch(partition -> partition.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not known to the broker yet: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not serve " + names + " within 60 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + names, e);
            }
        }
    }

    /** Deletes topics, without waiting: they only free disk. */
    void deleteTopics(List<String> names) {
        admin.deleteTopics(names);
    }

    /** A producer for the harness's own writes; {@code lingerMs} 0 for the open-loop run (no batching delay). */
    KafkaProducer<byte[], byte[]> producer(int lingerMs) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /**
     * The request record of event {@code seq}: a POST of a 900-byte JSON body to {@code target/work/{seq}}, keyed by
     * one of {@link #KEYS} customers; about 1 KB in the wire format. Thread-safe.
     */
    ProducerRecord<byte[], byte[]> event(String topic, URI target, int seq, long timestampMs) {
        String id = "e" + seq;
        RequestSpec request = new RequestSpec(id, "POST", target + "/work/" + seq, null, null,
                Map.of("X-Bench", "courier"), Bytes.wrap(body), "application/json", null, null, null, null, null, null,
                Map.of());
        byte[] value;
        try {
            value = codec.encodeRequest(topic, request);
        } catch (SchemaRegistryException e) {
            throw new IllegalStateException("cannot register the request schema: " + e.getMessage(), e);
        }
        byte[] key = ("customer-" + (seq % KEYS)).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestampMs, key, value);
    }

    /** Writes events {@code 0..count-1} to {@code topic} as fast as the broker takes them; returns their mean size. */
    int preload(String topic, URI target, int count) {
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(20)) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int seq = 0; seq < count; seq++) {
                ProducerRecord<byte[], byte[]> record = event(topic, target, seq, System.currentTimeMillis());
                bytes += record.value().length;
                sends.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted loading events", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot load events: " + e.getCause(), e);
        }
        return (int) (bytes / Math.max(1, count));
    }

    private static byte[] jsonBody(int size) {
        StringBuilder json = new StringBuilder("{\"order\":{\"lines\":[");
        int line = 0;
        while (json.length() < size - 40) {
            json.append(line == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(10_000 + line)
                    .append("\",\"qty\":").append(line % 7 + 1).append('}');
            line++;
        }
        json.append("]},\"note\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        admin.close();
    }
}
