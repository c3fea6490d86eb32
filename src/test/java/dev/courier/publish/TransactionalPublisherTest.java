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
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TransactionalPublisherTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("courier");
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final TransactionalPublisher publisher = TransactionalPublisher.start(this::newProducer,
            new OutcomeRecords(EventCodec.create(new InMemorySchemaRegistry(), true), "results", "dead-letters",
                    Clock.fixed(NOW, ZoneOffset.UTC), 1_000_000), "courier-test-1", Duration.ofSeconds(10));
    private final List<String> heard = new ArrayList<>();

    @Test
    void anOutcomeIsCoveredWhenSentAndVisibleWhenItsTransactionCommitsWithTheOffsets() throws Exception {
        publisher.own(Map.of(P0, 1L));

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));
        assertThat(heard).containsExactly("a covered");
        assertThat(producer().uncommittedRecords()).hasSize(1);

        TransactionalPublisher.Commit committed = publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP);

        assertThat(committed).isEqualTo(TransactionalPublisher.Commit.COMMITTED);
        assertThat(heard).containsExactly("a covered", "a visible");
        assertThat(producer().commitCount()).isEqualTo(1);
        assertThat(producer().consumerGroupOffsetsHistory()).containsExactly(Map.of("courier", Map.of(P0, new OffsetAndMetadata(8))));
        assertThat(producer().history()).hasSize(1);
    }

    @Test
    void anOutcomeOfAPartitionNotOwnedOrOfAnEarlierEpochIsDropped() {
        publisher.publish(origin(1, 1), "h", result(), progress("unowned"));
        publisher.own(Map.of(P0, 2L));
        publisher.publish(origin(2, 1), "h", result(), progress("old epoch"));

        assertThat(heard).containsExactly("unowned dropped", "old epoch dropped");
        assertThat(producer().uncommittedRecords()).isEmpty();
    }

    @Test
    void theOffsetsAreReadInsideTheCommitSoTheyCoverEveryOutcomeInTheTransaction() throws Exception {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        List<String> seenWhenReading = new ArrayList<>();

        publisher.commit(() -> {
            seenWhenReading.addAll(heard);
            return Map.of(P0, new OffsetAndMetadata(8));
        }, GROUP);

        assertThat(seenWhenReading).containsExactly("a covered");
    }

    @Test
    void nothingToCommitCommitsNoTransaction() throws Exception {
        assertThat(publisher.commit(Map::of, GROUP)).isEqualTo(TransactionalPublisher.Commit.NOTHING);

        assertThat(producer().commitCount()).isZero();
    }

    @Test
    void aCommitThatTimesOutStaysPendingAndTheNextCallCompletesItWithTheSameOffsets() throws Exception {
        commitThatTimesOut();

        assertThat(publisher.isPending()).isTrue();
        producer().commitTransactionException = null;
        TransactionalPublisher.Commit again = publisher.commit(() -> {
            throw new AssertionError("the offsets of a pending commit are not read again");
        }, GROUP);

        assertThat(again).isEqualTo(TransactionalPublisher.Commit.COMMITTED);
        assertThat(heard).containsExactly("a covered", "a visible");
        assertThat(producer().commitCount()).isEqualTo(1);
        assertThat(producer().consumerGroupOffsetsHistory()).containsExactly(Map.of("courier", Map.of(P0, new OffsetAndMetadata(8))));
        assertThat(producer().transactionInFlight()).as("the next transaction is open").isTrue();
    }

    @Test
    void whileACommitIsPendingAPublishWaitsForTheNextTransaction() throws Exception {
        commitThatTimesOut();
        Thread worker = new Thread(() -> publisher.publish(origin(8, 1), "h", result(), progress("b")));
        worker.start();
        worker.join(200);
        assertThat(worker.isAlive()).as("the worker waits").isTrue();
        assertThat(heard).containsExactly("a covered");

        producer().commitTransactionException = null;
        publisher.commit(Map::of, GROUP);
        worker.join(5_000);

        assertThat(heard).containsExactly("a covered", "a visible", "b covered");
        assertThat(producer().uncommittedRecords()).hasSize(1);
    }

    @Test
    void aWaitingPublishIsDroppedWhenItsWorkerIsInterrupted() throws Exception {
        commitThatTimesOut();
        Thread worker = new Thread(() -> publisher.publish(origin(8, 1), "h", result(), progress("b")));
        worker.start();
        worker.join(100);

        worker.interrupt();
        worker.join(5_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(heard).containsExactly("a covered", "b dropped");
    }

    @Test
    void anAbortThatTimesOutStaysPendingAndTheNextCallCompletesIt() throws Exception {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new KafkaException("rejected");
        producer().abortTransactionException = new TimeoutException("the broker does not answer");
        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(TransactionAbortedException.class);
        assertThat(publisher.isPending()).isTrue();

        producer().abortTransactionException = null;
        producer().commitTransactionException = null;

        assertThat(publisher.commit(Map::of, GROUP)).isEqualTo(TransactionalPublisher.Commit.NOTHING);
        assertThat(publisher.isPending()).isFalse();
        assertThat(producer().transactionInFlight()).as("the next transaction is open").isTrue();
        assertThat(producer().commitCount()).isZero();
        assertThat(producers).as("the same producer, once the broker answered").hasSize(1);
    }

    @Test
    void aProducerFencedByAnotherOneUnderItsTransactionalIdStopsWithTheSettingNamed() {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new KafkaException("Producer attempted to produce with an old epoch");
        producer().abortTransactionException = new ProducerFencedException("There is a newer producer");

        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(TransactionalIdInUseException.class)
                .hasMessageContaining("courier.transactional-id")
                .hasMessageContaining("courier-test-1");
        assertThat(producers).as("no new producer fences the other one back").hasSize(1);
    }

    @Test
    void failuresOfSendsAbortedWithTheirTransactionDoNotAbortTheNextOne() throws Exception {
        MockProducer<byte[], byte[]> lingering = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        TransactionalPublisher own = TransactionalPublisher.start(() -> lingering, new OutcomeRecords(
                EventCodec.create(new InMemorySchemaRegistry(), true), "results", "dead-letters",
                Clock.fixed(NOW, ZoneOffset.UTC), 1_000_000), "courier-test-2", Duration.ofSeconds(10));
        own.own(Map.of(P0, 1L));
        own.publish(origin(7, 1), "h", result(), progress("a"));

        own.abandon();
        lingering.errorNext(new org.apache.kafka.common.errors.TransactionAbortedException("batch failed by the abort"));
        own.own(Map.of(P0, 2L));
        own.publish(origin(7, 2), "h", result(), progress("again"));
        lingering.completeNext();

        assertThat(own.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isEqualTo(TransactionalPublisher.Commit.COMMITTED);
    }

    @Test
    void aFailedCommitAbortsTheTransactionDisownsEveryPartitionAndNothingBecomesVisible() {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new KafkaException("broker went away");

        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("broker went away");

        assertThat(heard).containsExactly("a covered");
        publisher.publish(origin(8, 1), "h", result(), progress("late"));
        assertThat(heard).as("every partition is disowned until the caller redoes it").endsWith("late dropped");
    }

    @Test
    void aSendThatFailsMakesTheNextCommitAbort() {
        publisher.own(Map.of(P0, 1L));
        producer().sendException = new KafkaException("record rejected");

        publisher.publish(origin(7, 1), "h", result(), progress("a"));

        assertThat(heard).containsExactly("a dropped");
        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(7)), GROUP))
                .isInstanceOf(TransactionAbortedException.class);
    }

    @Test
    void aProducerThatCannotAbortIsReplacedByANewOneUnderTheSameTransactionalId() {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new KafkaException("rejected");
        producer().abortTransactionException = new KafkaException("cannot abort either");

        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(TransactionAbortedException.class);

        assertThat(producers).hasSize(2);
        assertThat(producers.get(0).closed()).isTrue();
        assertThat(producer().transactionInFlight()).as("the new producer has begun a transaction").isTrue();
    }

    @Test
    void aConfigurationFailureStopsTheEngineWithItsCause() {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new AuthorizationException("not allowed to write results");

        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(OutcomesRefusedException.class).hasCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("not authorized").hasMessageContaining("courier-test-1");
    }

    @Test
    void closingAbortsATransactionWithUncommittedOutcomes() {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));

        publisher.close(Duration.ZERO);

        assertThat(producer().transactionAborted()).isTrue();
        assertThat(producer().closed()).isTrue();
    }

    /** Publishes "a" and begins a commit the broker does not answer: it stays pending. */
    private void commitThatTimesOut() throws TransactionAbortedException {
        publisher.own(Map.of(P0, 1L));
        publisher.publish(origin(7, 1), "h", result(), progress("a"));
        producer().commitTransactionException = new TimeoutException("the broker does not answer");
        assertThat(publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isEqualTo(TransactionalPublisher.Commit.PENDING);
    }

    private MockProducer<byte[], byte[]> newProducer() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        producers.add(producer);
        return producer;
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
        return new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(3), new Attempts(1, NOW, NOW));
    }

    private OutcomePublisher.Progress progress(String name) {
        return new OutcomePublisher.Progress() {
            @Override
            public void covered() {
                heard.add(name + " covered");
            }

            @Override
            public void visible() {
                heard.add(name + " visible");
            }

            @Override
            public void dropped() {
                heard.add(name + " dropped");
            }
        };
    }
}
