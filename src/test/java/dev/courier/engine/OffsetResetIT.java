package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An operator moves the group's offset with a tool that carries the old commit metadata over to the new offset.
 * The record of finished offsets belongs to the offset it was committed with, so Courier ignores it there and
 * skips nothing: every event from the new offset on gets its outcome.
 */
@WithSandbox
@Timeout(120)
class OffsetResetIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();
    private final CountDownLatch release = new CountDownLatch(1);

    OffsetResetIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void metadataCarriedOverToAnotherOffsetSkipsNoEvent() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            if (id.equals("e-0")) {
                release.await(60, TimeUnit.SECONDS); // stuck, so offsets above it are recorded in the metadata
            }
            return EventTarget.status(200);
        }));
        closing.add((AutoCloseable) release::countDown);
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of(
                "courier.shutdown.drain-timeout", "1s")));
        send(harness, target, 0, 50);
        Engine first = harness.start();
        harness.awaitOutcomes(49, Duration.ofSeconds(60));
        first.close();
        TopicPartition partition = new TopicPartition(harness.settings().topics().requests(), 0);
        String group = harness.settings().groupId();
        List<String> after = send(harness, target, 50, 60);

        try (Admin admin = harness.kafka().admin("test-offset-tool")) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            assertThat(committed.offset()).as("the stuck event's offset").isZero();
            assertThat(committed.metadata()).as("offsets finished above it").isNotEmpty();
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(60, committed.metadata())))
                    .all().get(30, TimeUnit.SECONDS);
        }
        release.countDown();
        harness.start();

        List<String> expected = after.subList(10, after.size()); // e-60 .. e-109
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(expected, Duration.ofSeconds(60));
        Offenders.assertNone("have no outcome", outcomes.missing(expected));
    }

    private static List<String> send(EngineHarness harness, EventTarget target, int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ids.add("e-" + i);
            harness.send("k" + i, get("e-" + i, target.url("e-" + i)));
        }
        return ids;
    }
}
