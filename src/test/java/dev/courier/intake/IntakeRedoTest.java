package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.codec.EventCodec;
import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.dispatch.Dispatcher;
import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.TransactionalPublisher;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The intake loop with Kafka's mock clients: redoing the work of an aborted transaction. */
class IntakeRedoTest {

    private static final String TOPIC = "requests";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
            "courier.delivery.guarantee", "exactly-once", "courier.ordering", "unordered",
            "courier.max-in-flight", "30000", "courier.commit.interval", "20ms",
            "courier.shutdown.drain-timeout", "1s")));
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final CountDownLatch stuckCall = new CountDownLatch(1);

    @Test
    @Timeout(60)
    void aPartitionWaitingAloneForItsOldestEventIsReadAgainAfterAnAbortedTransaction() throws Exception {
        int events = CompletedOffsets.MAX_SPAN + 100;
        consumer.schedulePollTask(() -> {
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            consumer.rebalance(List.of(P0, P1));
            for (int offset = 0; offset < events; offset++) {
                consumer.addRecord(record(0, offset));
            }
        });
        TransactionalPublisher publisher = TransactionalPublisher.start(() -> producer,
                new OutcomeRecords(codec, "results", "dead-letters", Clock.systemUTC(), 1_000_000), "courier-test",
                Duration.ofSeconds(10));
        Intake intake = Intake.exactlyOnce(consumer, TOPIC, codec, new RequestValidator(name -> Optional.empty()), false,
                publisher, router -> Dispatcher.start(settings, new StuckFirstCall(), router, Clock.systemUTC()),
                settings.dispatch(), EngineListener.NONE);
        Thread loop = new Thread(intake, "test-intake");
        loop.start();
        try {
            await("the partition waits alone at its span bound").atMost(Duration.ofSeconds(30))
                    .until(() -> consumer.paused().contains(P0));

            producer.commitTransactionException = new KafkaException("the broker went away");
            consumer.schedulePollTask(() -> consumer.addRecord(record(1, 0))); // its outcome makes the commit fail
            await("the redone partition is resumed").atMost(Duration.ofSeconds(10))
                    .until(() -> !consumer.paused().contains(P0));
            producer.commitTransactionException = null;
            stuckCall.countDown();
            assertThat(consumer.position(P0)).as("it was sought back to where it started").isZero();
            consumer.schedulePollTask(() -> {
                for (int offset = 0; offset < events; offset++) {
                    consumer.addRecord(record(0, offset)); // the broker delivers both partitions again
                }
                consumer.addRecord(record(1, 0));
            });

            await("every event's outcome is committed").atMost(Duration.ofSeconds(30))
                    .until(() -> consumer.position(P0) == events && committedOutcomes() >= events + 1);
        } finally {
            stuckCall.countDown();
            intake.stop();
            loop.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertThat(loop.isAlive()).isFalse();
    }

    /** Outcomes in committed transactions: the producer's history less what is still uncommitted. */
    private int committedOutcomes() {
        return producer.history().size() - producer.uncommittedRecords().size();
    }

    private ConsumerRecord<byte[], byte[]> record(int partition, int offset) {
        String id = "r-" + partition + "-" + offset;
        RequestSpec request = new RequestSpec(id, "GET", "https://api.example.com/x?id=" + id, null,
                null, Map.of(), null, null, null, null, null, null, null, null, Map.of());
        try {
            return new ConsumerRecord<>(TOPIC, partition, offset, null, codec.encodeRequest(TOPIC, request));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers 200 at once, except to the first event of partition 0, whose call waits for the test. */
    private final class StuckFirstCall implements HttpCaller {

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            if (request.id().equals("r-0-0")) {
                try {
                    stuckCall.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new AttemptResult.Response(200, Map.of(), Bytes.empty(), false, java.time.Instant.now(),
                    Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }
}
