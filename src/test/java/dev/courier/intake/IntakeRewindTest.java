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
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.publish.OutcomeRecords;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The intake loop with Kafka's mock clients: a fetch position that moves back (after an unclean leader election
 * truncated the log, say) does not stop the intake; the records from there are processed as new.
 */
class IntakeRewindTest {

    private static final String TOPIC = "requests";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
            "courier.ordering", "unordered", "courier.commit.interval", "20ms", "courier.shutdown.drain-timeout", "1s")));
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final LogConsumer consumer = new LogConsumer();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());

    private final CountDownLatch stuck = new CountDownLatch(1);

    @Test
    @Timeout(60)
    void recordsReadAgainFromAnEarlierOffsetWhileEventsAreInFlightAreProcessedAsNewAndTheIntakeGoesOn()
            throws Exception {
        consumer.schedulePollTask(() -> {
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            consumer.rebalance(List.of(P0));
            for (int offset = 0; offset < 10; offset++) {
                consumer.append(record(offset, "first-" + offset));
            }
        });
        AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer,
                new OutcomeRecords(codec, "results", "dead-letters", Clock.systemUTC(), 1_000_000), error -> {
                });
        Intake intake = Intake.atLeastOnce(consumer, TOPIC, codec, new RequestValidator(name -> Optional.empty()), false,
                publisher, router -> Dispatcher.start(settings, new StuckOnLast(), router, Clock.systemUTC()),
                settings.dispatch(), EngineListener.NONE);
        Thread loop = new Thread(intake, "test-intake");
        loop.start();
        try {
            await("nine outcomes, the tenth call in progress").atMost(Duration.ofSeconds(20))
                    .until(() -> published().size() >= 9);

            consumer.schedulePollTask(() -> {
                // the log is truncated to offset 5 and rewritten, and the position moves back there
                for (int offset = 5; offset < 10; offset++) {
                    consumer.log.put((long) offset, record(offset, "second-" + offset));
                }
                consumer.seek(P0, 5);
            });

            await("the records read again have outcomes").atMost(Duration.ofSeconds(20))
                    .until(() -> published().containsAll(
                            List.of("second-5", "second-6", "second-7", "second-8", "second-9")));
            assertThat(loop.isAlive()).as("the intake goes on").isTrue();
        } finally {
            stuck.countDown();
            intake.stop();
            loop.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertThat(loop.isAlive()).isFalse();
    }

    /** The request ids of the outcomes published so far, in order. */
    private List<String> published() {
        return producer.history().stream().map(ProducerRecord::headers)
                .map(headers -> new String(headers.lastHeader(OutcomeHeaders.REQUEST_ID).value(),
                        StandardCharsets.UTF_8))
                .toList();
    }

    private ConsumerRecord<byte[], byte[]> record(int offset, String id) {
        RequestSpec request = new RequestSpec(id, "GET", "https://api.example.com/x?id=" + id, null, null, Map.of(),
                null, null, null, null, null, null, null, null, Map.of());
        try {
            return new ConsumerRecord<>(TOPIC, 0, offset, null, codec.encodeRequest(TOPIC, request));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mock consumer over a log of one partition: a seek reads the log again from there, as a real one does. */
    private static final class LogConsumer extends MockConsumer<byte[], byte[]> {

        final java.util.TreeMap<Long, ConsumerRecord<byte[], byte[]>> log = new java.util.TreeMap<>();

        LogConsumer() {
            super("earliest");
        }

        void append(ConsumerRecord<byte[], byte[]> record) {
            log.put(record.offset(), record);
            addRecord(record);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            log.tailMap(offset).values().forEach(this::addRecord);
        }
    }

    /** Answers 200 at once, except to the first record at offset 9, whose call waits until the test ends. */
    private final class StuckOnLast implements HttpCaller {

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            if (request.id().equals("first-9")) {
                try {
                    stuck.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new AttemptResult.Response(200, Map.of(), Bytes.empty(), false, Instant.now(), Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }
}
