package dev.courier.replay;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.engine.EngineHarness;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.replay.Replay;
import dev.courier.replay.ReplayCriteria;
import dev.courier.replay.ReplaySummary;
import dev.courier.replay.SkipReason;
import dev.courier.testkit.Closing;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replay decides on each event's latest dead letter and only then applies the filters, so a filter never picks an
 * older dead letter of an event (which would be replayed with a stale replay count, past --max-replays); and
 * {@code --include-succeeded} does not switch off the guard against a replay not processed yet, only {@code --force}
 * does (issue 22, item 7). Dead letters are written by the test, with the timestamps it chooses; no engine runs, so
 * every replay stays waiting on the requests topic.
 */
@WithSandbox
@Timeout(120)
class ReplayChoiceIT {

    /**
     * When the test's dead letters were written: an hour ago, not a fixed date, which the broker's retention (7 days by
     * the records' timestamps) would delete from under the test once it is past.
     */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    ReplayChoiceIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aFilterIsAppliedToTheLatestDeadLetterOfEachEventNeverToAnOlderOne() throws Exception {
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of()));
        // one event, failed with a 503, replayed, and failed again with a 404: the 503 is history
        write(harness, "ev-1", FailureCategory.HTTP_SERVER_ERROR, 503, 0, T0);
        write(harness, "ev-1", FailureCategory.HTTP_CLIENT_ERROR, 404, 1, T0.plusSeconds(60));
        // one event whose latest dead letter is at --max-replays (3), and whose first was a 503
        write(harness, "ev-2", FailureCategory.HTTP_SERVER_ERROR, 503, 0, T0.plusSeconds(1));
        for (int count = 1; count <= 3; count++) {
            write(harness, "ev-2", FailureCategory.RETRIES_EXHAUSTED, null, count, T0.plusSeconds(60 + count));
        }

        ReplaySummary byCategory = dryRun(harness, criteria(null, Set.of("HTTP_SERVER_ERROR"), Set.of(), false, true));
        ReplaySummary byStatus = dryRun(harness, criteria(null, Set.of(), Set.of(503), false, true));
        ReplaySummary byUntil = dryRun(harness, criteria(T0.plusSeconds(30), Set.of(), Set.of(), false, true));
        ReplaySummary everything = dryRun(harness, criteria(null, Set.of(), Set.of(), false, true));

        assertThat(byCategory.chosen()).as("--category HTTP_SERVER_ERROR: %s", byCategory).isZero();
        assertThat(byStatus.chosen()).as("--status 503: %s", byStatus).isZero();
        assertThat(byUntil.chosen()).as("--until between an event's dead letters: %s", byUntil).isZero();
        assertThat(everything.chosen()).as("no filter: ev-1's 404, and ev-2 is at --max-replays").isEqualTo(1);
        assertThat(everything.firstChosen()).containsExactly("ev-1");
        assertThat(everything.skipped()).containsEntry(SkipReason.TOO_MANY_REPLAYS, 1L)
                .containsEntry(SkipReason.SUPERSEDED, 4L);
    }

    @Test
    void includeSucceededKeepsTheGuardAgainstAReplayNotProcessedYetAndForceLiftsIt() throws Exception {
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of()));
        for (int i = 0; i < 5; i++) {
            write(harness, "ev-" + i, FailureCategory.RETRIES_EXHAUSTED, 503, 0, T0.plusSeconds(i));
        }
        ReplayCriteria includeSucceeded = criteria(null, Set.of(), Set.of(), false, false);

        ReplaySummary first = run(harness, includeSucceeded);
        ReplaySummary second = run(harness, includeSucceeded);
        ReplaySummary forced = run(harness, criteria(null, Set.of(), Set.of(), true, false));

        assertThat(first.replayed()).isEqualTo(5);
        assertThat(second.replayed()).as("the same replay again, before Courier processed the first: %s", second)
                .isZero();
        assertThat(second.skipped()).containsEntry(SkipReason.ALREADY_REPLAYED, 5L);
        assertThat(forced.replayed()).as("--force").isEqualTo(5);
        assertThat(replayCounts(harness)).as("replay counts on the requests topic").containsExactly(1, 1, 1, 1, 1, 1,
                1, 1, 1, 1);
    }

    private static ReplayCriteria criteria(Instant until, Set<String> categories, Set<Integer> statuses,
            boolean force, boolean skipSucceeded) {
        return new ReplayCriteria(null, until, categories, statuses, Set.of(), Set.of(), Set.of(), null,
                ReplayCriteria.DEFAULT_MAX_REPLAYS, force, skipSucceeded);
    }

    private ReplaySummary dryRun(EngineHarness harness, ReplayCriteria criteria) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            return replay(harness, producer, criteria).dryRun();
        }
    }

    private ReplaySummary run(EngineHarness harness, ReplayCriteria criteria) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-replay")) {
            return replay(harness, producer, criteria).run();
        }
    }

    private static Replay replay(EngineHarness harness, KafkaProducer<byte[], byte[]> producer,
            ReplayCriteria criteria) {
        return new Replay(() -> harness.kafka().standaloneConsumer("test-replay"), producer, harness.codec(),
                harness.settings().topics().deadLetters(), harness.settings().topics().results(),
                harness.settings().topics().requests(), criteria, null, Replay.Listener.NONE);
    }

    /** Writes a dead letter of event {@code id} at {@code replayCount}, with the record timestamp {@code at}. */
    private static void write(EngineHarness harness, String id, FailureCategory category, Integer status,
            int replayCount, Instant at) throws Exception {
        String topic = harness.settings().topics().deadLetters();
        RequestSpec request = get(id, "https://api.example.com/" + id);
        DeadLetterEntry entry = new DeadLetterEntry(request, Bytes.copyOf(id.getBytes(StandardCharsets.UTF_8)), null,
                new Outcome.DeadLetter(category, status, "failed", new Attempts(1, at, at)), at,
                new Source(harness.settings().topics().requests(), 0, replayCount), replayCount);
        try (KafkaProducer<byte[], byte[]> producer = harness.kafka().producer("test-dead-letters")) {
            producer.send(new ProducerRecord<>(topic, 0, at.toEpochMilli(), id.getBytes(StandardCharsets.UTF_8),
                    harness.codec().encodeDeadLetter(topic, entry))).get(30, TimeUnit.SECONDS);
        }
    }

    /** The {@code courier-replay-count} of every record on the requests topic. */
    private static List<Integer> replayCounts(EngineHarness harness) {
        String topic = harness.settings().topics().requests();
        List<Integer> counts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("test-read")) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    Header header = record.headers().lastHeader(OutcomeHeaders.REPLAY_COUNT);
                    counts.add(header == null ? 0 : Integer.parseInt(new String(header.value(),
                            StandardCharsets.UTF_8)));
                }
            }
        }
        return counts;
    }
}
