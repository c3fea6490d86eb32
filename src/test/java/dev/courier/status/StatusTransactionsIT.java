package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.codec.EventCodec;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestStatus;
import dev.courier.model.Source;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.StatusRecords;
import dev.courier.publish.TransactionalPublisher;
import dev.courier.testkit.Closing;
import dev.courier.testkit.InMemorySchemaRegistry;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In exactly-once mode an outcome and its status commit or abort together: through an aborted transaction, a
 * {@code read_committed} reader of the outcome topics and the status topic finds the same events on both, and the
 * status view (which reads committed data only, also when it rebuilds its table from the topic) knows exactly those.
 */
@WithSandbox
@Timeout(180)
class StatusTransactionsIT {

    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("courier-status-tx-it");
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final TestSandbox sandbox;
    private final String requests;
    private final String results;
    private final String deadLetters;
    private final String status;
    private final TopicPartition partition;
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    @AutoClose
    private final Closing closing = new Closing();
    @TempDir
    Path stateDir;
    private volatile Producer<byte[], byte[]> producer;

    StatusTransactionsIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
        this.requests = sandbox.newTopic("requests", 1);
        this.results = sandbox.newTopic("results", 1);
        this.deadLetters = sandbox.newTopic("dead-letters", 1);
        // one partition, so the redo's statuses follow the aborted ones: a view that has read them has read past those
        this.status = sandbox.newTopic("status", 1);
        this.partition = new TopicPartition(requests, 0);
    }

    @Test
    void anAbortedTransactionTakesEachStatusWithItsOutcomeAndTheViewKnowsOnlyWhatCommitted() throws Exception {
        Clock clock = Clock.systemUTC();
        TransactionalPublisher publisher = TransactionalPublisher.start(this::producer,
                new OutcomeRecords(codec, results, deadLetters, clock, 900_000, new StatusRecords(codec, status, clock)),
                "status-tx-it", Duration.ofSeconds(10));
        closing.add(() -> publisher.close(Duration.ofSeconds(5)));
        publisher.own(Map.of(partition, 1L));
        IntStream.range(0, 10).forEach(offset -> publish(publisher, offset, 1));
        assertThat(publisher.commit(() -> Map.of(partition, new OffsetAndMetadata(10)), GROUP))
                .isEqualTo(TransactionalPublisher.Commit.COMMITTED);

        IntStream.range(10, 20).forEach(offset -> publish(publisher, offset, 1));
        producer.flush(); // written to the log, so it is the abort that hides them
        publisher.abandon(); // the transaction of r-10..r-19 aborts: their outcomes and statuses with it
        publisher.own(Map.of(partition, 2L));
        IntStream.range(10, 15).forEach(offset -> publish(publisher, offset, 2)); // the redo gets as far as r-14
        assertThat(publisher.commit(() -> Map.of(partition, new OffsetAndMetadata(15)), GROUP))
                .isEqualTo(TransactionalPublisher.Commit.COMMITTED);

        List<String> committed = IntStream.range(0, 15).mapToObj(i -> "r-" + i).toList();
        List<String> outcomes = new ArrayList<>(ids(results, "read_committed"));
        outcomes.addAll(ids(deadLetters, "read_committed"));
        assertThat(outcomes).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(ids(status, "read_committed")).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(ids(status, "read_uncommitted")).as("the aborted statuses were written, and are not committed")
                .contains("r-15", "r-19").hasSize(25);

        String applicationId = "status-tx-it-" + UUID.randomUUID();
        try (StatusView view = start(applicationId)) {
            assertTheViewKnowsWhatCommitted(view);
        }
        try (StatusView rebuilt = start(applicationId)) {
            assertTheViewKnowsWhatCommitted(rebuilt); // its table rebuilt from the status topic, read_committed
        }
    }

    private void assertTheViewKnowsWhatCommitted(StatusView view) {
        await("the view has read the status topic").atMost(AWAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> view.lookup("r-14") instanceof Lookup.Found);
        assertThat(found(view, "r-3").state()).isEqualTo(RequestStatus.State.FAILED);
        assertThat(found(view, "r-12").state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        for (int aborted = 15; aborted < 20; aborted++) {
            assertThat(view.lookup("r-" + aborted)).as("r-%d, aborted", aborted).isInstanceOf(Lookup.Absent.class);
        }
    }

    private static RequestStatus found(StatusView view, String id) {
        Lookup lookup = view.lookup(id);
        assertThat(lookup).as(id).isInstanceOf(Lookup.Found.class);
        return ((Lookup.Found) lookup).status();
    }

    private StatusView start(String applicationId) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("application.id", applicationId);
        config.put("bootstrap.servers", sandbox.bootstrapServers());
        config.put("state.dir", java.nio.file.Files.createTempDirectory(stateDir, "view").toString());
        config.put("application.server", "127.0.0.1:1");
        config.put("num.stream.threads", 1);
        config.put("consumer." + ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return StatusView.start(status, codec, Duration.ofDays(1), config, null);
    }

    private void publish(TransactionalPublisher publisher, int offset, long epoch) {
        String id = "r-" + offset;
        RequestSpec request = new RequestSpec(id, "GET", "https://api.example.com/" + id, null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());
        Origin origin = new Origin(new Source(requests, 0, offset), Bytes.utf8("key-" + offset), request, null,
                Map.of(), 0, epoch, Instant.now().toEpochMilli());
        Attempts attempts = Attempts.NONE.plus(Instant.now());
        Outcome outcome = offset % 2 == 0
                ? new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(1), attempts)
                : new Outcome.DeadLetter(FailureCategory.HTTP_CLIENT_ERROR, 404, "the target answered 404", attempts);
        publisher.publish(origin, "api.example.com", outcome, NO_PROGRESS);
    }

    /** The request ids of every record of {@code topic} (from their keys or their header), as {@code isolation} reads. */
    private List<String> ids(String topic, String isolation) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime() - deadline).as("read %s to its end", topic).isNegative();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(topic.equals(status) ? new String(record.key(), StandardCharsets.UTF_8)
                            : new String(record.headers().lastHeader("courier-request-id").value(),
                                    StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }

    private Producer<byte[], byte[]> producer() {
        producer = newProducer();
        return producer;
    }

    private Producer<byte[], byte[]> newProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "status-tx-it-" + UUID.randomUUID());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
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
