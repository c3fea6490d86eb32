package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.codec.EventCodec;
import dev.courier.model.RequestStatus;
import dev.courier.testkit.Closing;
import dev.courier.testkit.InMemorySchemaRegistry;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the view share the status topic's partitions. Issue 22, items 5 and 6, on the view over the status
 * topic: an instance asked about an id of a partition it has just given up says it cannot answer (503), never that
 * the id is unknown (404); and of two outcomes of one event at the same replay count every instance, the one that
 * rebuilt the partition from the topic included, answers the one written later.
 */
@WithSandbox
@Timeout(180)
class StatusViewRebalanceIT {

    private static final Duration AWAIT = Duration.ofSeconds(90);
    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");

    private final TestSandbox sandbox;
    private final String status;
    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final String applicationId = "status-rebalance-it-" + UUID.randomUUID();
    private final List<String> ids = IntStream.range(0, 40).mapToObj(i -> "id-" + i).toList();
    @AutoClose
    private final Closing closing = new Closing();
    @TempDir
    Path stateDir;

    StatusViewRebalanceIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
        this.status = sandbox.newTopic("status", 2);
    }

    @Test
    void anInstanceThatGaveTheIdsPartitionUpSaysItCannotAnswerAndEveryInstanceAnswersTheLaterOfTwoOutcomes()
            throws Exception {
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String id : ids) {
                // an at-least-once crash left a dead letter and then a result of each event, both at replay count 0
                send(producer, status(id, RequestStatus.State.FAILED, now.plusSeconds(1)));
                send(producer, status(id, RequestStatus.State.SUCCEEDED, now));
            }
            producer.flush();
        }
        StatusView first = closing.add(start("127.0.0.1:1"));
        await("the first instance holds every id").atMost(AWAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().allMatch(id -> first.lookup(id) instanceof Lookup.Found));
        ids.forEach(id -> assertThat(stateOf(first.lookup(id))).isEqualTo(RequestStatus.State.SUCCEEDED));

        StatusView second = closing.add(start("127.0.0.1:2"));
        await("the second instance holds a partition").atMost(AWAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> second.running() && first.running()
                        && ids.stream().anyMatch(id -> second.lookup(id) instanceof Lookup.Found)
                        && ids.stream().allMatch(id -> second.lookup(id) instanceof Lookup.Found
                                || second.lookup(id) instanceof Lookup.Elsewhere));

        List<String> moved = ids.stream().filter(id -> second.lookup(id) instanceof Lookup.Found).toList();
        List<String> kept = ids.stream().filter(id -> first.lookup(id) instanceof Lookup.Found).toList();
        assertThat(moved).isNotEmpty();
        assertThat(kept).isNotEmpty().doesNotContainAnyElementsOf(moved);
        for (String id : moved) {
            assertThat(stateOf(second.lookup(id))).as("%s, rebuilt from the topic", id)
                    .isEqualTo(RequestStatus.State.SUCCEEDED);
            assertThat(first.lookup(id)).isEqualTo(new Lookup.Elsewhere("127.0.0.1", 2));
            assertThat(first.local(id)).as("%s asked of the instance that gave its partition up", id)
                    .isInstanceOf(Lookup.Unavailable.class);
        }
        for (String id : kept) {
            assertThat(second.local(id)).as("%s asked of the instance that never had it", id)
                    .isInstanceOf(Lookup.Unavailable.class);
        }
        assertThat(first.local(unwrittenIdHeldBy(first))).as("an id nobody wrote, asked of its partition's holder")
                .isInstanceOf(Lookup.Absent.class);
    }

    /** An id that nobody wrote, of a partition {@code view} holds. */
    private static String unwrittenIdHeldBy(StatusView view) {
        return IntStream.range(0, 1000).mapToObj(Integer::toString)
                .map(suffix -> "never-sent-" + suffix)
                .filter(id -> !(view.lookup(id) instanceof Lookup.Elsewhere))
                .findFirst().orElseThrow();
    }

    private static RequestStatus.State stateOf(Lookup lookup) {
        assertThat(lookup).isInstanceOf(Lookup.Found.class);
        return ((Lookup.Found) lookup).status().state();
    }

    private StatusView start(String server) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("application.id", applicationId);
        config.put("bootstrap.servers", sandbox.bootstrapServers());
        config.put("state.dir", Files.createTempDirectory(stateDir, "view").toString());
        config.put("application.server", server);
        config.put("num.stream.threads", 1);
        config.put("consumer." + ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return StatusView.start(status, codec, Duration.ofDays(1), config, null);
    }

    private void send(KafkaProducer<byte[], byte[]> producer, RequestStatus value) throws Exception {
        producer.send(new ProducerRecord<>(status, null, value.updatedAt().toEpochMilli(),
                value.id().getBytes(StandardCharsets.UTF_8), codec.encodeStatus(status, value)));
    }

    private static RequestStatus status(String id, RequestStatus.State state, Instant at) {
        boolean failed = state == RequestStatus.State.FAILED;
        return new RequestStatus(id, state, 0, failed ? 404 : 200, 1, failed ? "HTTP_CLIENT_ERROR" : null, null, AT,
                AT, AT, null, at, new RequestStatus.Position("requests", 0, 1L),
                new RequestStatus.Position(failed ? "dead-letters" : "results", 0, null));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }
}
