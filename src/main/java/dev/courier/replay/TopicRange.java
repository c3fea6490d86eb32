package dev.courier.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The records of one topic a replay reads: from the beginning, or from the first record written at or after a time,
 * to the end offsets taken when the range is made. What is written later is not read, so a scan always ends.
 * With a {@code read_committed} consumer the end is the last stable offset: an open transaction's records are not
 * read. Immutable.
 */
final class TopicRange {

    /** How long a scan may go without reaching the end or reading a record before it gives up. */
    static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<TopicPartition, Long> start;
    private final Map<TopicPartition, Long> end;

    /** Keeps only the partitions with records in the range: a consumer assigned an empty one would wait on it. */
    private TopicRange(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        end.forEach((partition, last) -> {
            Long first = start.get(partition);
            if (first != null && first < last) {
                from.put(partition, first);
                to.put(partition, last);
            }
        });
        this.start = Map.copyOf(from);
        this.end = Map.copyOf(to);
    }

    /**
     * The range of {@code topic} from {@code since} (null for the beginning) to its end now.
     *
     * @throws TimeoutException when the cluster does not answer within the consumer's default API timeout
     */
    static TopicRange of(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant since) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        // Asked for partitions not assigned, a read_committed consumer warns once per partition that it cannot keep
        // their last stable offset: assign them first.
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions));
        if (since != null) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(times).entrySet()) {
                // no record at or after the time: nothing to read in that partition
                start.put(found.getKey(), found.getValue() == null ? end.get(found.getKey()) : found.getValue().offset());
            }
        }
        return new TopicRange(start, end);
    }

    Map<TopicPartition, Long> start() {
        return start;
    }

    Map<TopicPartition, Long> end() {
        return end;
    }

    /** How many offsets the range spans (records, less any compacted away or transaction markers). */
    long size() {
        long size = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            size += Math.max(0, partition.getValue() - start.get(partition.getKey()));
        }
        return size;
    }

    /** Assigns the range's partitions to {@code consumer} and moves it to the start. */
    void assignTo(KafkaConsumer<byte[], byte[]> consumer) {
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
    }

    boolean isDone(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        return consumer.position(partition) >= end.get(partition);
    }

    boolean inRange(ConsumerRecord<byte[], byte[]> record) {
        return record.offset() < end.get(new TopicPartition(record.topic(), record.partition()));
    }

    /**
     * Hands every record of the range to {@code each}, partition by partition as they come (in offset order within a
     * partition), until the end is reached or {@code stopped} says so.
     *
     * @throws TimeoutException when no record arrives and the end is not reached for {@link #STALL}
     */
    void scan(KafkaConsumer<byte[], byte[]> consumer, Consumer<ConsumerRecord<byte[], byte[]>> each,
            java.util.function.BooleanSupplier stopped) {
        assignTo(consumer);
        Stall stall = new Stall();
        while (!stopped.getAsBoolean() && !allDone(consumer)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (inRange(record)) {
                    each.accept(record);
                }
            }
            stall.check(consumer);
        }
    }

    /** Fails a scan whose positions have not moved for {@link #STALL}. Not thread-safe. */
    final class Stall {

        private long positions = -1;
        private long since = System.nanoTime();

        /** @throws TimeoutException when the positions have not moved for {@link #STALL} */
        void check(KafkaConsumer<byte[], byte[]> consumer) {
            long now = 0;
            for (TopicPartition partition : end.keySet()) {
                now += consumer.position(partition);
            }
            if (now != positions) {
                positions = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > STALL.toNanos()) {
                throw new TimeoutException("reading " + end.keySet() + " made no progress for " + STALL.toSeconds()
                        + " s before the end of the range was reached");
            }
        }
    }

    boolean allDone(KafkaConsumer<byte[], byte[]> consumer) {
        for (TopicPartition partition : end.keySet()) {
            if (!isDone(consumer, partition)) {
                return false;
            }
        }
        return true;
    }
}
