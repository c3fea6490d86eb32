package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Flow control around rate-limit keys: a key without room holds only the partition whose next event is for it, and
 * events the dispatcher parks do not count towards the in-flight bound. Each record's value is its rate-limit key.
 */
class PartitionFlowTest {

    private static final TopicPartition P0 = new TopicPartition("courier.requests", 0);
    private static final TopicPartition P1 = new TopicPartition("courier.requests", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<String> taken = new ArrayList<>();
    private boolean slowHasRoom;
    private int parked;

    private final PartitionFlow.Taker taker = new PartitionFlow.Taker() {
        @Override
        public boolean canTake() {
            return true;
        }

        @Override
        public PartitionFlow.Took take(ConsumerRecord<byte[], byte[]> record) {
            String key = new String(record.value(), StandardCharsets.UTF_8);
            if (!hasRoomFor(key)) {
                return PartitionFlow.Took.hold(key);
            }
            tracker.take(new TopicPartition(record.topic(), record.partition()), record.offset());
            taken.add(record.partition() + "@" + record.offset());
            return PartitionFlow.Took.TAKEN;
        }

        @Override
        public boolean hasRoomFor(String key) {
            return !key.equals("slow") || slowHasRoom;
        }
    };

    PartitionFlowTest() {
        consumer.assign(List.of(P0, P1));
        tracker.assigned(P0, null, 0);
        tracker.assigned(P1, null, 0);
    }

    @Test
    void aKeyWithoutRoomHoldsOnlyThePartitionWhoseNextEventIsForIt() {
        PartitionFlow flow = new PartitionFlow(consumer, tracker, 100, () -> parked);
        flow.polled(List.of(record(P0, 0, "slow"), record(P0, 1, "fast"), record(P1, 0, "fast"),
                record(P1, 1, "fast")));

        flow.feed(taker);

        assertThat(taken).containsExactly("1@0", "1@1");
        assertThat(consumer.paused()).containsExactly(P0);

        slowHasRoom = true;
        flow.feed(taker);

        assertThat(taken).as("in offset order once the key has room").containsExactly("1@0", "1@1", "0@0", "0@1");
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void aHeldPartitionStaysHeldWhileItsKeyHasNoRoom() {
        PartitionFlow flow = new PartitionFlow(consumer, tracker, 100, () -> parked);
        flow.polled(List.of(record(P0, 0, "slow"), record(P0, 1, "fast")));
        flow.feed(taker);

        flow.polled(List.of(record(P1, 0, "fast")));
        flow.feed(taker);

        assertThat(taken).containsExactly("1@0");
        assertThat(consumer.paused()).containsExactly(P0);
    }

    @Test
    void parkedEventsDoNotCountTowardsTheInFlightBound() {
        PartitionFlow flow = new PartitionFlow(consumer, tracker, 2, () -> parked);
        flow.polled(List.of(record(P1, 0, "fast"), record(P1, 1, "fast"), record(P1, 2, "fast")));
        flow.feed(taker);
        assertThat(taken).hasSize(2);
        flow.update(false);
        assertThat(flow.isPaused()).as("at the bound").isTrue();

        parked = 2;
        flow.feed(taker);
        flow.update(false);

        assertThat(taken).hasSize(3);
        assertThat(flow.isPaused()).as("one counted, two parked, nothing waiting").isFalse();
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String key) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0],
                key.getBytes(StandardCharsets.UTF_8));
    }
}
