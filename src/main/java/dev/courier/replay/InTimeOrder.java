package dev.courier.replay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of a {@link TopicRange} in the order they were written across partitions (by timestamp, then
 * partition, then offset), so that everything before a record's time has been seen when it is: a replay cut short
 * can be resumed with {@code --since} that time. A k-way merge: a record is handed on only when every partition not
 * yet at its end has a record buffered to compare with; the partitions that have one are paused, so at most one
 * poll's records per partition are held. Not thread-safe.
 */
final class InTimeOrder {

    private static final Duration POLL = Duration.ofMillis(200);

    private InTimeOrder() {
    }

    /**
     * Hands the records of {@code range} to {@code each} in time order, while {@code goOn} accepts the next one:
     * the scan ends at the first record it refuses, or at the end of the range.
     */
    static void scan(KafkaConsumer<byte[], byte[]> consumer, TopicRange range,
            Consumer<ConsumerRecord<byte[], byte[]>> each, Predicate<ConsumerRecord<byte[], byte[]>> goOn) {
        range.assignTo(consumer);
        Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
        range.end().keySet().forEach(partition -> buffers.put(partition, new ArrayDeque<>()));
        TopicRange.Stall stall = range.new Stall();
        while (true) {
            Set<TopicPartition> needy = new HashSet<>();
            buffers.forEach((partition, buffer) -> {
                if (buffer.isEmpty() && !range.isDone(consumer, partition)) {
                    needy.add(partition);
                }
            });
            if (!needy.isEmpty()) {
                Set<TopicPartition> full = new HashSet<>(buffers.keySet());
                full.removeAll(needy);
                consumer.pause(full);
                consumer.resume(needy);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (range.inRange(record)) {
                        buffers.get(new TopicPartition(record.topic(), record.partition())).add(record);
                    }
                }
                stall.check(consumer);
                continue;
            }
            ArrayDeque<ConsumerRecord<byte[], byte[]>> earliest = null;
            for (ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer : buffers.values()) {
                if (!buffer.isEmpty() && (earliest == null || before(buffer.peek(), earliest.peek()))) {
                    earliest = buffer;
                }
            }
            if (earliest == null || !goOn.test(earliest.peek())) {
                return; // every partition at its end and every buffer empty, or told to stop
            }
            each.accept(earliest.poll());
        }
    }

    private static boolean before(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() < b.timestamp();
        }
        if (a.partition() != b.partition()) {
            return a.partition() < b.partition();
        }
        return a.offset() < b.offset();
    }
}
