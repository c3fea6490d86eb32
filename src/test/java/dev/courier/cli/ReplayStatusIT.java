package dev.courier.cli;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.engine.Engine;
import dev.courier.engine.EngineHarness;
import dev.courier.model.RequestStatus;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code courier replay} writes each replayed event's {@code pending} status (its new replay count) to the status
 * topic, so the event does not read as failed while it waits; once Courier has processed it, its own status (written
 * after the pending one) is the latest.
 */
@WithSandbox
@Timeout(180)
class ReplayStatusIT {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();
    private final AtomicBoolean down = new AtomicBoolean(true);

    ReplayStatusIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aReplayedEventIsPendingWithItsNewReplayCountUntilCourierHasProcessedIt() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> down.get() ? EventTarget.status(503)
                : EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of("courier.retry.max-attempts", "1")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add("down-" + i);
            harness.send("k" + i, get("down-" + i, target.url("down-" + i)));
        }
        Engine engine = harness.start();
        harness.awaitEvery(ids, AWAIT);
        engine.close(); // so the replayed events wait on the requests topic
        await().atMost(AWAIT).until(() -> latest(harness).keySet().containsAll(ids));
        assertThat(latest(harness).values()).extracting(RequestStatus::state).containsOnly(RequestStatus.State.FAILED);

        Cli.Run replayed = courier(harness, "replay");
        assertThat(replayed.exitCode()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("Replayed 6 events");

        Map<String, RequestStatus> waiting = latest(harness);
        assertThat(waiting).containsOnlyKeys(ids).allSatisfy((id, status) -> {
            assertThat(status.state()).as(id).isEqualTo(RequestStatus.State.PENDING);
            assertThat(status.replayCount()).as(id).isEqualTo(1);
            assertThat(status.request().topic()).isEqualTo(harness.settings().topics().requests());
        });

        down.set(false);
        harness.start();
        await("the replayed events' own statuses").atMost(AWAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> latest(harness).values().stream()
                        .allMatch(status -> status.state() == RequestStatus.State.SUCCEEDED));
        assertThat(latest(harness).values()).extracting(RequestStatus::replayCount).containsOnly(1);
    }

    private static Cli.Run courier(EngineHarness harness, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        harness.processSettings(Map.of()).forEach((key, value) -> command.add("-D" + key + "=" + value));
        return Cli.run(command.toArray(String[]::new));
    }

    /** The status topic's latest record of each id, as compaction and the view keep it. */
    private static Map<String, RequestStatus> latest(EngineHarness harness) throws Exception {
        String topic = harness.settings().topics().status();
        Map<String, RequestStatus> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(harness, topic)) {
            latest.put(new String(record.key(), StandardCharsets.UTF_8),
                    harness.codec().decodeStatus(topic, record.value()));
        }
        return latest;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EngineHarness harness, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("test-read")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime() - deadline).as("read %s to its end", topic).isNegative();
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
