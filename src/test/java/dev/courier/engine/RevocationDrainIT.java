package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AutoClose;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once: a partition is revoked while its oldest call takes longer than the transaction timeout, and the
 * instance keeps processing the partition it keeps meanwhile. The drain commits the kept partition's outcomes as
 * it goes, so its transaction never times out: no transaction aborts, and no event is called twice.
 */
@WithSandbox
@Timeout(150)
class RevocationDrainIT {

    /** Longer than the transaction timeout (10 s), shorter than the drain timeout. */
    private static final Duration SLOW_CALL = Duration.ofSeconds(13);
    private static final int QUICK_EVENTS = 1_200;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    RevocationDrainIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aLongDrainOfARevokedPartitionKeepsCommittingThePartitionKept() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> new MockResponse.Builder().code(200)
                .headersDelay(id.startsWith("slow") ? SLOW_CALL.toMillis() : 20, TimeUnit.MILLISECONDS).build()));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.transactional-id", "drain-a",
                "courier.shutdown.drain-timeout", "25s", "courier.workers", "4", "courier.max-in-flight", "100",
                "courier.ordering", "unordered")));
        List<String> ids = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            String id = "slow-" + partition; // a slow call in each partition: whichever is revoked drains for long
            ids.add(id);
            harness.send(keyIn(partition), get(id, target.url(id)));
        }
        for (int i = 0; i < QUICK_EVENTS; i++) {
            ids.add("quick-" + i);
            harness.sendAsync("k" + i, get("quick-" + i, target.url("quick-" + i)));
        }
        harness.flush();
        Aborts aborts = new Aborts();
        Engine first = closing.add(harness.start(aborts));
        await("both slow calls in progress").atMost(Duration.ofSeconds(30))
                .until(() -> target.calls("slow-0") == 1 && target.calls("slow-1") == 1);

        Engine second = closing.add(Engine.start(harness.settingsWith(Map.of("courier.transactional-id", "drain-b")),
                EngineListener.NONE));
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(120));

        System.out.printf("RevocationDrainIT HTTP calls per event: %s; transactions of the first instance aborted"
                + " before its revocation: %d, during its drain: %d%n", EventTarget.format(target.callHistogram(ids)),
                aborts.beforeRevocation, aborts.sinceRevocation);
        assertThat(first.failure()).isNull();
        assertThat(second.failure()).isNull();
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        assertThat(aborts.revoked).as("the first instance had a partition revoked").isTrue();
        assertThat(aborts.sinceRevocation).as("transactions of the first instance aborted during its drain").isZero();
        if (aborts.beforeRevocation == 0) {
            assertThat(target.callHistogram(ids)).as("calls per event: no transaction aborted, so nothing was redone")
                    .containsOnlyKeys(1);
        } else {
            // a periodic commit crossed the group's next generation as the second instance joined: the broker refused
            // its offsets and the transaction aborted (docs/guarantees.md, exactly-once: a rebalance another instance starts can
            // cross one commit), so its events were called again, once
            assertThat(target.callHistogram(ids)).as("calls per event").containsOnlyKeys(1, 2);
        }
    }

    /** The first instance's aborted transactions, before and since a partition of its was revoked. */
    private static final class Aborts implements EngineListener {

        private volatile boolean revoked;
        private volatile int beforeRevocation;
        private volatile int sinceRevocation;

        @Override
        public void onRevoked(Collection<TopicPartition> partitions) {
            revoked = true;
        }

        @Override
        public void onTransactionAborted() {
            if (revoked) {
                sinceRevocation++;
            } else {
                beforeRevocation++;
            }
        }
    }

    /** A key the default partitioner puts in {@code partition} of a two-partition topic. */
    private static String keyIn(int partition) {
        for (int i = 0; ; i++) {
            byte[] key = ("slow-key-" + i).getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % 2 == partition) {
                return "slow-key-" + i;
            }
        }
    }
}
