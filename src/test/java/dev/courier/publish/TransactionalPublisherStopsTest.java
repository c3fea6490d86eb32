package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.codec.EventCodec;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * When the exactly-once publisher stops Courier rather than abort and redo again (issue 22, items 1 and 4): a send
 * the cluster refuses for good, a partition's outcomes aborted five times in a row, and a fence the coordinator says
 * another producer made; and when it carries on.
 */
class TransactionalPublisherStopsTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("courier");
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<Object> coordinatorAnswers = new ArrayList<>();
    private final List<String> topicsAsked = new ArrayList<>();
    private boolean topicGone;
    private final ClusterChecks cluster = new ClusterChecks() {
        @Override
        public boolean topicGone(String topic) {
            topicsAsked.add(topic);
            return topicGone;
        }

        @Override
        public TransactionState transactionState(String transactionalId) {
            Object answer = coordinatorAnswers.remove(0);
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (TransactionState) answer;
        }
    };
    private long epoch;

    @Test
    void thePartitionsOutcomesAbortedFiveTimesInARowStopCourierNamingThePartition() {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), true);
        producer().commitTransactionException = new KafkaException("the coordinator is confused");
        for (int abort = 1; abort < AbortStreaks.LIMIT; abort++) {
            publishOne(publisher, abort);
            assertThatThrownBy(() -> commit(publisher)).as("abort %d", abort)
                    .isInstanceOf(TransactionAbortedException.class);
        }
        publishOne(publisher, 9);

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(RepeatedAbortsException.class)
                .hasMessageContaining("requests-0").hasMessageContaining("5 transactions in a row")
                .hasMessageContaining("the coordinator is confused");
    }

    @Test
    void aCommitOfThePartitionsOutcomesEndsItsStreak() throws Exception {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), true);
        for (int round = 0; round < 2; round++) {
            producer().commitTransactionException = new KafkaException("the coordinator is confused");
            for (int abort = 1; abort < AbortStreaks.LIMIT; abort++) {
                publishOne(publisher, abort);
                assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionAbortedException.class);
            }
            producer().commitTransactionException = null;
            publishOne(publisher, 9);
            assertThat(commit(publisher)).as("round %d", round).isEqualTo(TransactionalPublisher.Commit.COMMITTED);
        }
    }

    @Test
    void anOutcomeTooLargeEvenInItsMinimalFormStopsCourierNamingItsTopic() throws Exception {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        // four smaller forms are tried, one transaction each; those aborts are not a streak
        for (int refusal = 1; refusal <= 4; refusal++) {
            publishOne(publisher, 7);
            producer().errorNext(new RecordTooLargeException("larger than the max message size"));
            assertThatThrownBy(() -> commit(publisher)).as("refusal %d", refusal)
                    .isInstanceOf(TransactionAbortedException.class);
        }
        publishOne(publisher, 7);
        producer().errorNext(new RecordTooLargeException("larger than the max message size"));

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(OutcomesRefusedException.class)
                .hasMessageContaining("outcomes on topic results").hasMessageContaining("too large");
        assertThat(producer().commitCount()).as("transactions committed").isZero();
    }

    @Test
    void aCommitThatFailsWithARecordTooLargeIsRedoneNotTakenForPermanent() {
        // the commit may fail with the send's error before the send's own callback has said which form it was in
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), true);
        publishOne(publisher, 7);
        producer().commitTransactionException = new RecordTooLargeException("larger than the max message size");

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionAbortedException.class);
    }

    @Test
    void aSendThatTimesOutForATopicTheClusterSaysIsGoneStopsCourierNamingIt() {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        topicGone = true;
        publishOne(publisher, 7);
        producer().errorNext(new TimeoutException("Topic results not present in metadata after 5000 ms."));

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(OutcomesRefusedException.class)
                .hasMessageContaining("outcomes on topic results").hasMessageContaining("does not exist");
        assertThat(topicsAsked).containsExactly("results");
    }

    @Test
    void aSendThatTimesOutForATopicThatExistsIsRedone() {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        publishOne(publisher, 7);
        producer().errorNext(new TimeoutException("Expiring 1 record(s)"));

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionAbortedException.class);
        assertThat(topicsAsked).containsExactly("results");
    }

    @Test
    void aSendThatFailsAtOnceForATopicTheClusterSaysIsGoneStopsCourierThoughNothingElseIsInTheTransaction()
            throws Exception {
        // the producer throws when the topic is not in its metadata within max.block.ms; the event is dropped, and
        // nothing else is finished to commit (OutcomeRefusedIT: exactly-once kept polling with the event lost)
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        topicGone = true;
        producer().sendException = new TimeoutException("Topic results not present in metadata after 5000 ms.");
        publishOne(publisher, 7);

        assertThatThrownBy(() -> publisher.commit(Map::of, GROUP)).isInstanceOf(OutcomesRefusedException.class)
                .hasMessageContaining("outcomes on topic results").hasMessageContaining("does not exist");
        assertThat(topicsAsked).containsExactly("results");
    }

    @Test
    void aSendThatFailsAtOnceAbortsTheTransactionSoItsDroppedEventIsRedoneThoughNothingElseIsInIt() {
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        producer().sendException = new TimeoutException("Topic results not present in metadata after 5000 ms.");
        publishOne(publisher, 7);

        assertThatThrownBy(() -> publisher.commit(Map::of, GROUP)).isInstanceOf(TransactionAbortedException.class);
        assertThat(topicsAsked).containsExactly("results");
        assertThat(producer().commitCount()).isZero();
    }

    @Test
    void aPendingCommitThatAbortsForASendToATopicTheClusterSaysIsGoneStopsCourierNamingIt() throws Exception {
        // the commit waits for a batch the broker keeps refusing (UNKNOWN_TOPIC_ID) and times out; the batch expires,
        // and the commit tried again fails: the send's failure is the pending commit's transaction's
        TransactionalPublisher publisher = start(Duration.ofSeconds(10), false);
        topicGone = true;
        publishOne(publisher, 7);
        producer().commitTransactionException = new TimeoutException("Timeout expired while awaiting EndTxn(true)");
        assertThat(commit(publisher)).isEqualTo(TransactionalPublisher.Commit.PENDING);
        producer().errorNext(new TimeoutException("Expiring 1 record(s) for results-0"));
        producer().commitTransactionException = new KafkaException("The client hasn't received acknowledgment for"
                + " some previously sent messages and can no longer retry them.");

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(OutcomesRefusedException.class)
                .hasMessageContaining("outcomes on topic results").hasMessageContaining("does not exist");
        assertThat(topicsAsked).containsExactly("results");
    }

    @Test
    void aFenceOfATransactionPastItsTimeoutStopsCourierWhenTheCoordinatorShowsAnotherProducer() {
        TransactionalPublisher publisher = fencedPastTheTimeout();
        coordinatorAnswers.add(TransactionState.ONGOING);

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionalIdInUseException.class)
                .hasMessageContaining("courier.transactional-id");
        assertThat(producers).as("no new producer fences the other one back").hasSize(1);
    }

    @Test
    void aFenceOfATransactionPastItsTimeoutStartsANewProducerWhenTheBrokerAbortedIt() {
        TransactionalPublisher publisher = fencedPastTheTimeout();
        coordinatorAnswers.add(TransactionState.COMPLETE_ABORT);

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionAbortedException.class);
        assertThat(producers).hasSize(2);
        assertThat(producer().transactionInFlight()).as("the new producer has begun a transaction").isTrue();
    }

    @Test
    void aCoordinatorThatDoesNotAnswerIsAskedAgainAtTheNextCommit() throws Exception {
        TransactionalPublisher publisher = fencedPastTheTimeout();
        coordinatorAnswers.add(new TimeoutException("no answer"));
        coordinatorAnswers.add(TransactionState.EMPTY); // another producer started meanwhile

        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionAbortedException.class);
        assertThat(publisher.isPending()).isTrue();
        assertThatThrownBy(() -> commit(publisher)).isInstanceOf(TransactionalIdInUseException.class);
        assertThat(producers).hasSize(1);
    }

    /** A transaction with an outcome, older than its (tiny) timeout, whose commit fails and whose abort is fenced. */
    private TransactionalPublisher fencedPastTheTimeout() {
        TransactionalPublisher publisher = start(Duration.ofNanos(1), false);
        publishOne(publisher, 7);
        producer().commitTransactionException = new KafkaException("Producer attempted to produce with an old epoch");
        producer().abortTransactionException = new ProducerFencedException("There is a newer producer");
        return publisher;
    }

    private TransactionalPublisher start(Duration transactionTimeout, boolean autoComplete) {
        return TransactionalPublisher.start(() -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, new OutcomeRecords(EventCodec.create(new InMemorySchemaRegistry(), true), "results", "dead-letters",
                Clock.fixed(NOW, ZoneOffset.UTC), 1_000_000), "courier-stops", transactionTimeout, cluster);
    }

    private void publishOne(TransactionalPublisher publisher, long offset) {
        publisher.own(Map.of(P0, ++epoch));
        publisher.publish(origin(offset, epoch), "api.example.com", result(), new OutcomePublisher.Progress() {
            @Override
            public void covered() {
            }

            @Override
            public void dropped() {
            }
        });
    }

    private static TransactionalPublisher.Commit commit(TransactionalPublisher publisher)
            throws TransactionAbortedException {
        return publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(7)), GROUP);
    }

    private MockProducer<byte[], byte[]> producer() {
        return producers.get(producers.size() - 1);
    }

    private static Origin origin(long offset, long epoch) {
        RequestSpec request = new RequestSpec("r-" + offset, "GET", "https://api.example.com/x", null, null, Map.of(),
                null, null, null, null, null, null, null, null, Map.of());
        return new Origin(new Source("requests", 0, offset), Bytes.utf8("k"), request, null, Map.of(), 0, epoch, -1);
    }

    private static Outcome result() {
        return new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(3),
                new Attempts(1, NOW, NOW));
    }
}
