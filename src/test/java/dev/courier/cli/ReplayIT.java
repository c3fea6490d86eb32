package dev.courier.cli;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.engine.Engine;
import dev.courier.engine.EngineHarness;
import dev.courier.engine.OutcomeAudit;
import dev.courier.model.RequestSpec;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.replay.Replay;
import dev.courier.replay.ReplayCriteria;
import dev.courier.replay.ReplaySummary;
import dev.courier.replay.SkipReason;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courier replay} against the engine on the in-JVM broker: a target is down, its events become
 * {@code RETRIES_EXHAUSTED} dead letters; it comes back, and replay turns them into results. One scenario, step by
 * step, so the dead letters are made once.
 */
@WithSandbox
@Timeout(180)
class ReplayIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();
    private final AtomicBoolean down = new AtomicBoolean(true);
    private final Set<String> stubborn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ReplayIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void deadLettersOfATargetThatWasDownAreReplayedOnceItIsBack(@TempDir Path dir) throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            if (id.startsWith("gone")) {
                return EventTarget.status(404);
            }
            return down.get() || stubborn.contains(id) ? EventTarget.status(503) : EventTarget.status(200);
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of("courier.retry.max-attempts", "1")));
        List<String> downIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            downIds.add("down-" + i);
            harness.send("k" + i, get("down-" + i, target.url("down-" + i)));
        }
        harness.send("g0", get("gone-0", target.url("gone-0")));
        harness.send("g1", get("gone-1", target.url("gone-1")));
        harness.send("b0", new RequestSpec("bad-0", "FETCH", target.url("bad-0"), null, null, Map.of(), null, null,
                null, null, null, null, null, null, Map.of()));
        harness.start();
        harness.awaitEvery(concat(downIds, List.of("gone-0", "gone-1", "bad-0")), Duration.ofSeconds(60));
        down.set(false);
        long requestsBefore = requestRecords(harness).size();

        // a dry run counts and sends nothing
        Cli.Run dry = courier(harness, "replay", "--dry-run", "--category", "RETRIES_EXHAUSTED");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("13 dead letters read, 10 selected by the filters; 10 events would be replayed")
                .contains("RETRIES_EXHAUSTED                    10").contains("503                                  10")
                .contains("First: ").contains("Nothing was sent.");
        assertThat(requestRecords(harness)).hasSize((int) requestsBefore);

        // filters, in dry runs
        assertThat(courier(harness, "replay", "--dry-run", "--status", "404").out())
                .contains("2 events would be replayed");
        assertThat(courier(harness, "replay", "--dry-run", "--id", "down-3", "--id", "gone-1").out())
                .contains("2 events would be replayed");
        Path idsFile = Files.writeString(dir.resolve("ids.txt"), "# the ones to retry\ndown-1\n\ndown-2\n");
        assertThat(courier(harness, "replay", "--dry-run", "--ids-file", idsFile.toString()).out())
                .contains("2 events would be replayed");
        String host = java.net.URI.create(target.url("x")).getHost();
        assertThat(courier(harness, "replay", "--dry-run", "--host", host, "--max", "4").out())
                .contains("4 events would be replayed").contains("over max");
        assertThat(courier(harness, "replay", "--dry-run", "--host", "api.example.com").out())
                .contains("0 events would be replayed");
        assertThat(courier(harness, "replay", "--dry-run", "--until", "2000-01-01T00:00:00Z").out())
                .contains("0 selected by the filters");
        assertThat(courier(harness, "replay", "--dry-run").out()).as("INVALID_REQUEST is not replayed")
                .contains("12 events would be replayed").contains("not replayable");

        // the replay, and the outcomes it leads to
        stubborn.add("down-9");
        Cli.Run replayed = courier(harness, "replay", "--category", "RETRIES_EXHAUSTED");
        assertThat(replayed.exitCode()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("Replayed 10 events to " + harness.settings().topics().requests());
        await("the replayed events have results").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> harness.outcomes().results().size() >= 9);
        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        assertThat(outcomes.results()).extracting(result -> result.get("requestId").textValue())
                .containsExactlyInAnyOrderElementsOf(downIds.subList(0, 9));
        assertThat(replayCounts(harness, harness.settings().topics().results())).containsOnly(1);
        ObjectNode again = outcomes.deadLetters().stream()
                .filter(letter -> letter.get("requestId").textValue().equals("down-9")
                        && letter.get("replayCount").intValue() == 1).findFirst().orElseThrow();
        assertThat(again.get("category").textValue()).isEqualTo("RETRIES_EXHAUSTED");

        // the same replay again sends nothing new; the stubborn one is over --max-replays 1
        Cli.Run second = courier(harness, "replay", "--category", "RETRIES_EXHAUSTED", "--max-replays", "1");
        assertThat(second.out()).as(second.toString()).contains("Replayed 0 events")
                .contains("already succeeded").contains("too many replays").contains("superseded");

        // what a replay cannot fix is replayed only with --force
        assertThat(courier(harness, "replay", "--id", "bad-0").out()).contains("Replayed 0 events")
                .contains("not replayable");
        assertThat(courier(harness, "replay", "--id", "bad-0", "--force").out()).contains("Replayed 1 event to");
    }

    @Test
    void anInterruptedReplayTellsWhenToResumeTheResumeSendsTheRestAndARepeatSendsNothing() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> down.get() ? EventTarget.status(503)
                : EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 3, Map.of("courier.retry.max-attempts", "1")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add("late-" + i);
            harness.send("k" + i, get("late-" + i, target.url("late-" + i)));
        }
        Engine engine = harness.start();
        harness.awaitEvery(ids, Duration.ofSeconds(60));
        engine.close(); // the replayed events stay on the requests topic, to be counted
        ReplayCriteria all = new ReplayCriteria(null, null, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), null, 3,
                false, true);

        AtomicInteger read = new AtomicInteger();
        Replay[] first = new Replay[1];
        ReplaySummary cut;
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            first[0] = replay(harness, producer, all, new Replay.Listener() {
                private boolean replaying;

                @Override
                public void phase(String name, long total) {
                    replaying = name.equals("Replaying");
                }

                @Override
                public void read() {
                    if (replaying && read.incrementAndGet() == 12) { // 12 dead letters into the publishing pass
                        first[0].stop();
                    }
                }
            });
            cut = first[0].run();
        }
        assertThat(cut.interrupted()).isTrue();
        assertThat(cut.replayed()).isBetween(1L, 29L);
        ReplaySummary rest;
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            rest = replay(harness, producer, new ReplayCriteria(cut.resumeSince(), null, Set.of(), Set.of(), Set.of(),
                    Set.of(), Set.of(), null, 3, false, true), Replay.Listener.NONE).run();
        }

        assertThat(rest.interrupted()).isFalse();
        // the engine is stopped, so the replays wait on the requests topic: the same replay again sends none of them
        ReplaySummary repeated;
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            repeated = replay(harness, producer, all, Replay.Listener.NONE).run();
        }
        assertThat(repeated.replayed()).isZero();
        assertThat(repeated.skipped()).containsEntry(SkipReason.ALREADY_REPLAYED, 30L);
        Map<String, Integer> replays = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : requestRecords(harness)) {
            if (record.headers().lastHeader(OutcomeHeaders.REPLAY_COUNT) != null) {
                String id = harness.codec().decodeRequest(record.topic(), record.value()).id();
                replays.merge(id, 1, Integer::sum);
                assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)).as("Kafka key of " + id)
                        .isEqualTo("k" + id.substring("late-".length()));
            }
        }
        assertThat(replays).as("each event replayed once across the cut").hasSize(30).containsOnlyKeys(ids)
                .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(cut.replayed() + rest.replayed()).isEqualTo(30);

        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            assertThat(replay(harness, producer, new ReplayCriteria(null, null, Set.of(), Set.of(), Set.of(), Set.of(),
                    Set.of(), null, 3, true, true), Replay.Listener.NONE).run().replayed())
                    .as("--force replays them again").isEqualTo(30);
        }
    }

    private Replay replay(EngineHarness harness, KafkaProducer<byte[], byte[]> producer, ReplayCriteria criteria,
            Replay.Listener listener) {
        return new Replay(() -> harness.kafka().standaloneConsumer("test-replay"), producer, harness.codec(),
                harness.settings().topics().deadLetters(), harness.settings().topics().results(),
                harness.settings().topics().requests(), criteria, null, listener);
    }

    private static Cli.Run courier(EngineHarness harness, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        harness.processSettings(Map.of()).forEach((key, value) -> command.add("-D" + key + "=" + value));
        return Cli.run(command.toArray(String[]::new));
    }

    /** The records of the requests topic now. */
    private static List<ConsumerRecord<byte[], byte[]>> requestRecords(EngineHarness harness) {
        return readAll(harness, harness.settings().topics().requests());
    }

    /** The {@code courier-replay-count} of every record of {@code topic} that has one. */
    private static List<Integer> replayCounts(EngineHarness harness, String topic) {
        List<Integer> counts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(harness, topic)) {
            Header header = record.headers().lastHeader(OutcomeHeaders.REPLAY_COUNT);
            if (header != null) {
                counts.add(Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8)));
            }
        }
        return counts;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(EngineHarness harness, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("test-read")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
