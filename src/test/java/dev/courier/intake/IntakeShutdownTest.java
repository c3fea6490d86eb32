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
import dev.courier.publish.OutcomeRecords;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The intake loop's stop, with Kafka's mock clients. */
class IntakeShutdownTest {

    private static final String TOPIC = "requests";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    /**
     * A drain timeout longer than the wait below, and shorter than the commit timeout, and a commit interval that
     * does not come up: no commit runs before or while draining, so the stop must end as soon as nothing is in a
     * call, and commit at the end.
     */
    private final Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
            "courier.shutdown.drain-timeout", "25s", "courier.commit.timeout", "30s",
            "courier.commit.interval", "1m")));
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final Map<TopicPartition, OffsetAndMetadata> committed = new java.util.concurrent.ConcurrentHashMap<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            super.commitSync(offsets, timeout);
            committed.putAll(offsets);
        }
    };
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());

    @Test
    @Timeout(60)
    void aStopWithNoCallInProgressCommitsAndEndsWithoutWaitingOutTheDrainTimeout() throws Exception {
        consumer.schedulePollTask(() -> {
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            consumer.rebalance(List.of(P0));
            for (int offset = 0; offset < 5; offset++) {
                consumer.addRecord(record(offset));
            }
        });
        Intake intake = Intake.atLeastOnce(consumer, TOPIC, codec, new RequestValidator(name -> Optional.empty()), false,
                new AtLeastOncePublisher(producer, new OutcomeRecords(codec, "results", "dead-letters",
                        Clock.systemUTC(), 1_000_000), error -> {
                        }),
                router -> Dispatcher.start(settings, new Answers200(), router, Clock.systemUTC()),
                settings.dispatch(), EngineListener.NONE);
        Thread loop = new Thread(intake, "test-intake");
        loop.start();
        await("five outcomes").atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 5);

        intake.stop(); // finished events wait only for their commit, not for the drain timeout
        loop.join(Duration.ofSeconds(10).toMillis());

        assertThat(loop.isAlive()).as("the intake still draining").isFalse();
        assertThat(committed.get(P0)).as("the last commit").isEqualTo(new OffsetAndMetadata(5, ""));
    }

    private ConsumerRecord<byte[], byte[]> record(int offset) {
        RequestSpec request = new RequestSpec("r-" + offset, "GET", "https://api.example.com/x", null, null,
                Map.of(), null, null, null, null, null, null, null, null, Map.of());
        try {
            return new ConsumerRecord<>(TOPIC, 0, offset, null, codec.encodeRequest(TOPIC, request));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Answers200 implements HttpCaller {

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            return new AttemptResult.Response(200, Map.of(), Bytes.empty(), false, Instant.now(), Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }
}
