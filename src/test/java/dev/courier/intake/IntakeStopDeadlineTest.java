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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A revocation during a shutdown ends its drain at the stop's deadline, not a drain timeout after the revocation: the
 * shutdown keeps its bound (issue 22, item 8). The intake's clock is the test's; calls never answer.
 */
class IntakeStopDeadlineTest {

    private static final String TOPIC = "requests";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Drain 10 s, commit timeout 2 s: a revocation's drain during a stop ends 8 s after the stop at the latest. */
    private final Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
            "courier.shutdown.drain-timeout", "10s", "courier.commit.timeout", "2s",
            "courier.commit.interval", "100ms")));
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final AtomicLong now = new AtomicLong();
    private final NeverAnswers caller = new NeverAnswers();
    private final CountDownLatch revoked = new CountDownLatch(1);

    @Test
    @Timeout(60)
    void aRevocationDuringTheShutdownDrainEndsAtTheStopsDeadline() throws Exception {
        consumer.schedulePollTask(() -> {
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(record(P0));
            consumer.addRecord(record(P1));
        });
        Intake intake = Intake.atLeastOnce(consumer, TOPIC, codec, new RequestValidator(name -> Optional.empty()),
                false, new AtLeastOncePublisher(producer, new OutcomeRecords(codec, "results", "dead-letters",
                        Clock.systemUTC(), 1_000_000), error -> {
                        }),
                router -> Dispatcher.start(settings, caller, router, Clock.systemUTC()), settings.dispatch(),
                new EngineListener() {
                    @Override
                    public void onRevoked(Collection<TopicPartition> partitions) {
                        revoked.countDown();
                    }
                }, now::get);
        Thread loop = new Thread(intake, "test-intake");
        loop.start();
        await("both events in a call").atMost(Duration.ofSeconds(10)).until(() -> caller.inCall.get() == 2);

        intake.stop(); // at 0 s; the drain lasts until 10 s, the revocation's commit must start by 8 s
        consumer.schedulePollTask(() -> {
            now.set(6 * SECOND); // a rebalance 6 s into the drain takes partition 1 away
            consumer.rebalance(List.of(P0));
        });
        assertThat(revoked.await(10, TimeUnit.SECONDS)).as("partition 1 revoked").isTrue();
        now.set(11 * SECOND); // past the stop's drain deadline, and 5 s into the revocation's drain timeout
        loop.join(Duration.ofSeconds(20).toMillis());

        assertThat(loop.isAlive()).as("the intake still draining the revoked partition").isFalse();
        assertThat(caller.inCall.get()).as("calls that never answered").isEqualTo(2);
        assertThat(producer.history()).as("outcomes").isEmpty();
    }

    private ConsumerRecord<byte[], byte[]> record(TopicPartition partition) {
        RequestSpec request = new RequestSpec("r-" + partition.partition(), "GET", "https://api.example.com/x", null,
                null, Map.of(), null, null, null, null, null, null, null, null, Map.of());
        try {
            return new ConsumerRecord<>(TOPIC, partition.partition(), 0, null, codec.encodeRequest(TOPIC, request));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A target that never answers: each call waits until its worker is interrupted. */
    private static final class NeverAnswers implements HttpCaller {

        private final AtomicInteger inCall = new AtomicInteger();
        private final CountDownLatch never = new CountDownLatch(1);

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            inCall.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AttemptResult.Response(503, Map.of(), Bytes.empty(), false, Instant.now(), Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }
}
