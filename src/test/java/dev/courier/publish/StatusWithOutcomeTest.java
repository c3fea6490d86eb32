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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * An outcome and its status are published together or redone together: in at-least-once mode the event is covered
 * (its offset committable) only once the broker has both; in exactly-once mode both go into one transaction, and a
 * retry wait's status goes into the open one.
 */
class StatusWithOutcomeTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("courier");
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final StatusRecords statuses = new StatusRecords(codec, "status", Clock.fixed(NOW, ZoneOffset.UTC));
    private final OutcomeRecords records = new OutcomeRecords(codec, "results", "dead-letters",
            Clock.fixed(NOW, ZoneOffset.UTC), 1_000_000, statuses);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();

    @Test
    void atLeastOnceCoversAnEventOnlyOnceTheBrokerHasItsOutcomeAndItsStatus() {
        MockProducer<byte[], byte[]> producer = producer(false);
        AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer, records, fatal::add);

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results", "status");
        producer.completeNext();
        assertThat(heard).as("the outcome alone is not enough").isEmpty();
        producer.completeNext();
        assertThat(heard).containsExactly("a covered", "a visible");
    }

    @Test
    void atLeastOnceSendsAStatusAgainOnItsOwnUntilTheBrokerTakesItAndNeverTheOutcomeTwice() {
        MockProducer<byte[], byte[]> producer = producer(false);
        AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer, records, fatal::add);

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));
        producer.completeNext();
        producer.errorNext(new NotLeaderOrFollowerException("the status partition moved"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> producer.history().size() == 3);
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results", "status", "status");
        assertThat(heard).isEmpty();
        producer.completeNext();
        assertThat(heard).containsExactly("a covered", "a visible");
        assertThat(fatal).isEmpty();
        publisher.close(Duration.ZERO);
    }

    @Test
    void atLeastOnceSendsAgainLaterWhenTheProducerCannotSayAnOutcomeTopicsPartitionsDuringAnOutage() {
        // the status names the outcome's partition, which the producer's metadata gives; during a broker outage it
        // may time out asking, as a send would: that is an outage to ride out, not a defect that stops the engine
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized List<org.apache.kafka.common.PartitionInfo> partitionsFor(String topic) {
                if (asked.incrementAndGet() == 1) {
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            "Topic " + topic + " not present in metadata after 60000 ms.");
                }
                return super.partitionsFor(topic);
            }
        };
        AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer, records, fatal::add);

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("a visible"));
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results", "status");
        assertThat(fatal).isEmpty();
        publisher.close(Duration.ZERO);
    }

    @Test
    void atLeastOnceStopsWhenTheStatusCannotBePublishedForGood() {
        MockProducer<byte[], byte[]> producer = producer(false);
        AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer, records, fatal::add);

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.TopicAuthorizationException("no write on status"));

        assertThat(fatal).singleElement().isInstanceOf(KafkaException.class);
        assertThat(heard).as("not covered: redone after the restart").isEmpty();
    }

    @Test
    void exactlyOnceSendsTheStatusIntoTheOutcomesTransactionSoBothCommitOrBothAbort() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        TransactionalPublisher publisher = TransactionalPublisher.start(() -> producer, records, "courier-test",
                Duration.ofSeconds(10));
        publisher.own(Map.of(P0, 1L));

        publisher.publish(origin(7, 1), "api.example.com", result(), progress("a"));
        producer.commitTransactionException = new KafkaException("broker went away");
        assertThatThrownBy(() -> publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP))
                .isInstanceOf(TransactionAbortedException.class);
        assertThat(producer.history()).as("aborted: neither").isEmpty();

        producer.commitTransactionException = null;
        publisher.own(Map.of(P0, 2L));
        publisher.publish(origin(7, 2), "api.example.com", result(), progress("again"));
        publisher.commit(() -> Map.of(P0, new OffsetAndMetadata(8)), GROUP);

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results", "status");
        assertThat(heard).containsExactly("a covered", "again covered", "again visible");
    }

    @Test
    void exactlyOnceARetryingStatusGoesIntoTheOpenTransactionWhichThenCommitsEvenWithoutAnOutcome() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        TransactionalPublisher publisher = TransactionalPublisher.start(() -> producer, records, "courier-test",
                Duration.ofSeconds(10));
        publisher.own(Map.of(P0, 1L));

        publisher.publishStatus(origin(7, 1), statuses.retrying(origin(7, 1), 1, NOW, NOW, 503, null,
                NOW.plusSeconds(1)));
        publisher.publishStatus(origin(8, 0), statuses.retrying(origin(8, 0), 1, NOW, NOW, 503, null,
                NOW.plusSeconds(1)));

        assertThat(producer.uncommittedRecords()).as("an earlier epoch's is dropped").hasSize(1);
        assertThat(publisher.commit(Map::of, GROUP)).isEqualTo(TransactionalPublisher.Commit.COMMITTED);
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("status");
    }

    private MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Origin origin(long offset, long epoch) {
        RequestSpec request = new RequestSpec("r-" + offset, "GET", "https://api.example.com/x", null, null, Map.of(),
                null, null, null, null, null, null, null, null, Map.of());
        return new Origin(new Source("requests", 0, offset), Bytes.utf8("k"), request, null, Map.of(), 0, epoch,
                NOW.toEpochMilli());
    }

    private static Outcome result() {
        return new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(3),
                new Attempts(1, NOW, NOW));
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
