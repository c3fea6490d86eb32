package dev.courier.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a run's outcome topics (results and dead letters) from the start, on its own thread, and keeps for each
 * outcome its append time at the broker (the topics use {@code LogAppendTime}) and, when asked, the sequence number of
 * its request (from the {@code courier-request-id} header, {@code e<seq>}). Reads committed data only, so an
 * exactly-once run counts committed outcomes only.
 */
final class OutcomeWatcher implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long[] appendMs;
    private final int[] seqs;
    private final boolean withSeqs;
    private final AtomicInteger count = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    OutcomeWatcher(String bootstrap, List<String> topics, int capacity, boolean withSeqs) {
        this.appendMs = new long[capacity];
        this.seqs = withSeqs ? new int[capacity] : null;
        this.withSeqs = withSeqs;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (int p = 0; p < Cluster.PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::loop, "outcome-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    int index = count.get();
                    if (index < appendMs.length) {
                        appendMs[index] = record.timestamp();
                        if (withSeqs) {
                            seqs[index] = seqOf(record);
                        }
                    }
                    count.incrementAndGet();
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static int seqOf(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader("courier-request-id");
        if (header == null) {
            return -1;
        }
        String id = new String(header.value(), StandardCharsets.UTF_8);
        return id.startsWith("e") ? Integer.parseInt(id.substring(1)) : -1;
    }

    /** Outcomes read so far. */
    int count() {
        return count.get();
    }

    /** Stops reading and returns what was read: append times and (if kept) request sequence numbers. */
    Outcomes stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int n = Math.min(count.get(), appendMs.length);
        return new Outcomes(java.util.Arrays.copyOf(appendMs, n), withSeqs ? java.util.Arrays.copyOf(seqs, n) : null,
                count.get());
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    /** What a run produced: the append time of each outcome kept, its request's seq (or null), and the total read. */
    record Outcomes(long[] appendMs, int[] seqs, int total) {
    }
}
