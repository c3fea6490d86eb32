package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transactional publisher on the real broker, where sends complete on the producer's own thread. */
@WithSandbox
@Timeout(120)
class TransactionalPublisherIT {

    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("courier-publisher-it");

    private final TestSandbox sandbox;
    private final String requests;
    private final String results;
    private final TopicPartition partition;

    TransactionalPublisherIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
        this.requests = sandbox.newTopic("requests", 1);
        this.results = sandbox.newTopic("results", 1);
        this.partition = new TopicPartition(requests, 0);
    }

    @Test
    void aForcedAbortUnderSteadyLoadIsFollowedByACommitNotByMoreAborts() throws Exception {
        TransactionalPublisher publisher = TransactionalPublisher.start(this::producer, new OutcomeRecords(
                EventCodec.create(new InMemorySchemaRegistry(), true), results, results, Clock.systemUTC(), 900_000),
                "publisher-it", Duration.ofSeconds(10));
        Owner owner = new Owner(publisher);
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        Thread load = new Thread(() -> {
            long offset = 0;
            while (loading.get()) {
                publisher.publish(origin(offset++, owner.epoch()), "api.example.com", result(), NO_PROGRESS);
                published.incrementAndGet();
                sleepQuietly(1);
            }
        }, "test-load");
        load.start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((published.get() < 300 || owner.commits == 0) && System.nanoTime() < until) {
                owner.commitEvery100ms(Duration.ofMillis(100)); // steady state
            }
            assertThat(owner.commits).as("commits before the forced abort").isPositive();
            publisher.abandon(); // a forced abort, with batches waiting unsent (the producer lingers 1 s)
            owner.redo();
            owner.aborts = 0;
            owner.commits = 0;
            long abortedAt = System.nanoTime();

            while (owner.commits == 0 && System.nanoTime() - abortedAt < Duration.ofSeconds(5).toNanos()) {
                owner.commitEvery100ms(Duration.ofMillis(100));
            }

            assertThat(owner.aborts).as("healthy transactions aborted after the forced abort").isZero();
            assertThat(Duration.ofNanos(owner.firstCommitAt - abortedAt)).as("time to the next commit")
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            loading.set(false);
            load.join(5_000);
            publisher.close(Duration.ofSeconds(5));
        }
    }

    /** Plays intake's part: commits every 100 ms and, after an abort, owns the partition again in a new epoch. */
    private final class Owner {

        private final TransactionalPublisher publisher;
        private final AtomicLong epoch = new AtomicLong(1);
        int commits;
        int aborts;
        long firstCommitAt;

        Owner(TransactionalPublisher publisher) {
            this.publisher = publisher;
            publisher.own(Map.of(partition, epoch.get()));
        }

        long epoch() {
            return epoch.get();
        }

        void redo() {
            publisher.own(Map.of(partition, epoch.incrementAndGet()));
        }

        void commitEvery100ms(Duration wait) throws InterruptedException {
            Thread.sleep(wait.toMillis());
            try {
                if (publisher.commit(Map::of, GROUP) == TransactionalPublisher.Commit.COMMITTED && commits++ == 0) {
                    firstCommitAt = System.nanoTime();
                }
            } catch (TransactionAbortedException e) {
                aborts++;
                redo();
            }
        }
    }

    private Producer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "publisher-it-" + UUID.randomUUID());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1000); // so batches wait unsent when an abort comes
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    private Origin origin(long offset, long epoch) {
        RequestSpec request = new RequestSpec("r-" + offset, "GET", "https://api.example.com/", null, null, Map.of(),
                null, null, null, null, null, null, null, null, Map.of());
        return new Origin(new Source(requests, 0, offset), Bytes.copyOf(new byte[] {1}), request, null, Map.of(), 0,
                epoch, -1);
    }

    private static Outcome.Result result() {
        return new Outcome.Result(200, Map.of(), Bytes.copyOf(new byte[100]), false, Duration.ofMillis(1),
                Attempts.NONE.plus(java.time.Instant.now()));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final OutcomePublisher.Progress NO_PROGRESS = new OutcomePublisher.Progress() {
        @Override
        public void covered() {
        }

        @Override
        public void dropped() {
        }
    };
}
