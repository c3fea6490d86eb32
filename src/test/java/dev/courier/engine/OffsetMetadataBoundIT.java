package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.config.Settings;
import dev.courier.intake.EngineListener;
import dev.courier.publish.Origin;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One early event of a partition is stuck in its call while thousands after it complete. The committed
 * offset cannot pass the stuck event, so the completed ones above it live in the commit's metadata,
 * which must stay under Kafka's 4,096-byte limit: the engine takes from the partition only what it can
 * record, stops there while the stuck call is pending, and goes on once it completes. An engine
 * restarted while the call is pending calls the stuck event again and no completed one.
 */
@WithSandbox
@Timeout(240)
class OffsetMetadataBoundIT {

    /** Enough that even a plain bitset of completed offsets (about 24,000 in 4,096 base64 characters) runs out. */
    private static final int EVENTS = 30_000;
    private static final int STUCK_OFFSET = 5;
    private static final String STUCK = "m" + STUCK_OFFSET;
    private static final int METADATA_LIMIT = 4_096;
    /** Taken events that do not grow for this long, while the stuck call is pending, have met the bound. */
    private static final Duration STEADY = Duration.ofSeconds(3);

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    OffsetMetadataBoundIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void aStuckEventBoundsWhatIsTakenAfterItAndARestartRepeatsNoCompletedEvent(Guarantee guarantee) throws Exception {
        CountDownLatch firstCallMayEnd = new CountDownLatch(1);
        CountDownLatch secondCallMayEnd = new CountDownLatch(1);
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            if (id.equals(STUCK)) {
                // within the call timeout; the test ends each wait long before that
                (call == 1 ? firstCallMayEnd : secondCallMayEnd).await(90, TimeUnit.SECONDS);
            }
            return EventTarget.status(200);
        }));
        closing.add(firstCallMayEnd::countDown); // before the target closes, so no server thread stays blocked
        closing.add(secondCallMayEnd::countDown);
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of("courier.ordering", "unordered",
                "courier.workers", "16", "courier.max-in-flight", "500", "courier.http.call-timeout", "120s",
                "courier.http.read-timeout", "120s", "courier.shutdown.drain-timeout", "2s")));
        Settings settings = harness.settingsWith(guarantee.settings("metadata-bound")); // one instance, restarted
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add("m" + i);
            harness.sendAsync("k" + i, get("m" + i, target.url("m" + i)));
        }
        harness.flush();
        TopicPartition partition = new TopicPartition(harness.settings().topics().requests(), 0);
        MetadataSampler metadata = closing.add(new MetadataSampler(harness, partition));

        // The first engine: the stuck call starts and stays pending while the events after it complete.
        AtomicInteger takenByFirst = new AtomicInteger();
        Engine first = closing.add(Engine.start(settings, counting(takenByFirst)));
        await("the stuck event is called").atMost(Duration.ofSeconds(60)).until(() -> target.calls(STUCK) == 1);
        awaitSteady("events taken by the first engine", takenByFirst::get);
        int bound = takenByFirst.get();
        long calledAfterStuck = ids.stream().skip(STUCK_OFFSET + 1).filter(id -> target.calls(id) > 0).count();
        assertThat(target.calls(STUCK)).as("the stuck call is still pending").isEqualTo(1);

        // Restarted while the stuck call is pending: the drain gives up on it; the commit cannot pass it.
        first.close();
        OffsetAndMetadata committed = metadata.committed();
        Map<String, Integer> callsBeforeRestart = new HashMap<>();
        ids.forEach(id -> callsBeforeRestart.put(id, target.calls(id)));
        AtomicInteger takenBySecond = new AtomicInteger();
        Engine second = closing.add(Engine.start(settings, counting(takenBySecond)));
        await("the stuck event is called again").atMost(Duration.ofSeconds(60)).until(() -> target.calls(STUCK) == 2);
        awaitSteady("events taken by the second engine", takenBySecond::get);
        int takenWhileStillStuck = takenBySecond.get();
        List<String> calledAgain = ids.stream()
                .filter(id -> !id.equals(STUCK) && callsBeforeRestart.get(id) > 0)
                .filter(id -> target.calls(id) > callsBeforeRestart.get(id)).toList();

        // The stuck call completes: the partition flows again.
        secondCallMayEnd.countDown();
        await("every event has an outcome").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> harness.outcomes().missing(ids).isEmpty());
        second.close();
        metadata.close();

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        System.out.printf("OffsetMetadataBoundIT [%s] %d events in one partition, %s stuck: the first engine took %d"
                + " (%d after the stuck one called) and stopped; committed at the restart: offset %d, metadata of %d"
                + " characters; the second engine took %d while the call was still pending (%d in all), called %d"
                + " completed events again; longest metadata sampled %d characters in %d samples; HTTP calls per"
                + " event: %s%n", guarantee, EVENTS,
                STUCK, bound, calledAfterStuck, committed == null ? -1 : committed.offset(),
                committed == null || committed.metadata() == null ? 0 : committed.metadata().length(),
                takenWhileStillStuck, takenBySecond.get(), calledAgain.size(), metadata.longest(), metadata.samples(),
                EventTarget.format(target.callHistogram(ids)));
        assertThat(metadata.longest()).as("longest commit metadata of the partition").isLessThan(METADATA_LIMIT);
        assertThat(committed).as("the offset committed when the first engine stopped").isNotNull();
        assertThat(committed.offset()).as("the committed offset stays at the stuck event").isEqualTo(STUCK_OFFSET);
        assertThat(calledAfterStuck).as("events after the stuck one completed while it was pending").isGreaterThan(100);
        Offenders.assertNone("completed before the restart were called again after it", calledAgain);
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        assertThat(target.calls(STUCK)).as("calls of the stuck event: one per engine").isEqualTo(2);
        Offenders.assertNone("other than the stuck one were called more than once",
                ids.stream().filter(id -> !id.equals(STUCK) && target.calls(id) != 1).toList());
    }

    /**
     * Waits until {@code taken} stops growing for {@link #STEADY} (the engine met its bound) or reaches
     * every event (it could record them all), at most 90 s.
     */
    private static void awaitSteady(String what, IntSupplier taken) {
        AtomicInteger last = new AtomicInteger(-1);
        AtomicLong changedAt = new AtomicLong(System.nanoTime());
        await(what + " stop growing").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            int now = taken.getAsInt();
            if (now != last.getAndSet(now)) {
                changedAt.set(System.nanoTime());
            }
            return now >= EVENTS || System.nanoTime() - changedAt.get() >= STEADY.toNanos();
        });
    }

    private static EngineListener counting(AtomicInteger taken) {
        return new EngineListener() {
            @Override
            public void onTaken(Origin origin) {
                taken.incrementAndGet();
            }
        };
    }

    /** Reads the group's committed offset of one partition every 100 ms and keeps the longest metadata seen. */
    private static final class MetadataSampler implements AutoCloseable {

        private final Admin admin;
        private final String group;
        private final TopicPartition partition;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger longest = new AtomicInteger();
        private final AtomicInteger samples = new AtomicInteger();

        MetadataSampler(EngineHarness harness, TopicPartition partition) {
            this.admin = harness.kafka().admin("courier-test-metadata-sampler");
            this.group = harness.settings().groupId();
            this.partition = partition;
            timer.scheduleWithFixedDelay(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        }

        /** The committed offset and metadata now, or null before the first commit. */
        OffsetAndMetadata committed() throws Exception {
            // requireStable: offsets of a transaction that has committed but whose markers are not yet written
            // are waited for, not hidden
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()),
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(group)
                    .get(10, TimeUnit.SECONDS).get(partition);
            if (offset != null && offset.metadata() != null) {
                longest.accumulateAndGet(offset.metadata().length(), Math::max);
            }
            return offset;
        }

        private void sample() {
            try {
                committed();
                samples.incrementAndGet();
            } catch (Exception e) {
                // a sample missed; the next one comes 100 ms later
            }
        }

        int longest() {
            return longest.get();
        }

        int samples() {
            return samples.get();
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            admin.close(Duration.ofSeconds(5));
        }
    }
}
