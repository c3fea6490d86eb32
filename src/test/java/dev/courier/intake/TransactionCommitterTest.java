package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.TransactionalPublisher;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Periodic commits after a revocation wait for the group's next generation, so their offsets never carry the
 * generation the group is replacing (the broker would refuse them and the transaction's events be redone).
 */
class TransactionCommitterTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final GroupConsumer consumer = new GroupConsumer();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final AtomicLong now = new AtomicLong();
    private final OffsetTracker tracker = new OffsetTracker();
    private final TransactionCommitter committer = new TransactionCommitter(consumer,
            TransactionalPublisher.start(() -> producer, new OutcomeRecords(EventCodec.create(
                    new InMemorySchemaRegistry(), true), "results", "dead-letters", Clock.systemUTC(), 1_000_000),
                    "courier-test", TRANSACTION_TIMEOUT),
            tracker, now::get);
    private long nextOffset;

    @Test
    void periodicCommitsWaitWhileRejoiningAndGoOnWithTheNextGeneration() throws Exception {
        owned();
        finishAnEvent();
        committer.commit();
        assertThat(committedGenerations()).containsExactly(1);

        committer.rejoining();
        finishAnEvent();
        committer.commit();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        committer.commit();
        assertThat(committedGenerations()).as("no commit while the group forms its next generation")
                .containsExactly(1);

        consumer.generation = 2;
        committer.commit();
        assertThat(committedGenerations()).as("the first commit carries the new generation").containsExactly(1, 2);
    }

    @Test
    void aRejoinThatTakesLongerThanHalfTheTransactionTimeoutStopsHoldingCommitsBack() throws Exception {
        owned();
        committer.rejoining();
        finishAnEvent();
        now.addAndGet(TRANSACTION_TIMEOUT.dividedBy(2).minusMillis(1).toNanos());
        committer.commit();
        assertThat(committedGenerations()).isEmpty();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        committer.commit();
        assertThat(committedGenerations()).as("the transaction must not reach its timeout").containsExactly(1);
        finishAnEvent();
        committer.commit();
        assertThat(committedGenerations()).as("the hold is over").containsExactly(1, 1);
    }

    @Test
    void theCommitBeforeLettingGoIsNeverHeld() throws Exception {
        owned();
        committer.rejoining();
        finishAnEvent();
        assertThat(committer.commitNow()).isTrue();
        assertThat(committedGenerations()).containsExactly(1);
    }

    private void owned() {
        tracker.assigned(P0, null, 1);
        committer.assigned(Map.of(P0, 1L));
    }

    private void finishAnEvent() {
        long offset = nextOffset++;
        tracker.take(P0, offset);
        tracker.finish(P0, offset, 1);
    }

    /** The group generation each committed transaction's offsets were sent with, in order. */
    private List<Integer> committedGenerations() {
        return producer.consumerGroupOffsetsHistory().stream()
                .flatMap(offsets -> offsets.keySet().stream())
                .map(group -> Integer.valueOf(group.substring(GroupConsumer.GROUP.length())))
                .toList();
    }

    /** A mock consumer in a group whose generation the test moves on; the group id names the generation. */
    private static final class GroupConsumer extends MockConsumer<byte[], byte[]> {

        static final String GROUP = "courier-generation-";
        volatile int generation = 1;

        GroupConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerGroupMetadata groupMetadata() {
            return new ConsumerGroupMetadata(GROUP + generation, generation, "member-1", Optional.empty());
        }
    }
}
