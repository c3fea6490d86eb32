package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once: an instance that died between sending its offsets to a transaction and committing it leaves the
 * group's offsets unstable until the transaction is aborted (at its timeout, or when a producer under the same
 * transactional id starts). The instance that takes the partitions over cannot fetch their committed offsets
 * meanwhile; it waits for them, and neither stops nor takes their events before, while its other partitions go on
 * (issue 22, item 3).
 */
@WithSandbox
@Timeout(120)
class UnstableOffsetsIT {

    private static final int EVENTS = 20;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    UnstableOffsetsIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aPartitionWhoseCommittedOffsetIsUnstableWaitsForItAndTheOthersGoOn() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.transactional-id", "unstable-" + UUID.randomUUID(),
                "courier.commit.timeout", "2s")));
        List<String> waiting = new ArrayList<>();
        List<String> going = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            List<String> ids = i % 2 == 0 ? waiting : going;
            ids.add("p" + i % 2 + "-" + i);
            harness.sendAsync(i % 2, "k" + i, get("p" + i % 2 + "-" + i, target.url("p" + i % 2 + "-" + i)));
        }
        harness.flush();
        // the instance that died: its last transaction holds the group's offset of partition 0, uncommitted
        String requests = harness.settings().topics().requests();
        KafkaProducer<byte[], byte[]> crashed = closing.add(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.settings().kafka().bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crashed-" + UUID.randomUUID(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000), new ByteArraySerializer(),
                new ByteArraySerializer()));
        crashed.initTransactions();
        crashed.beginTransaction();
        crashed.sendOffsetsToTransaction(Map.of(new TopicPartition(requests, 0), new OffsetAndMetadata(0)),
                new ConsumerGroupMetadata(harness.settings().groupId()));

        Engine engine = closing.add(harness.start());
        await("the events of partition 1 have outcomes, or the engine stopped").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> engine.failure() != null || harness.outcomes().missing(going).isEmpty());

        assertThat(engine.failure()).as("the engine stopped").isNull();
        assertThat(target.callHistogram(waiting)).as("calls of partition 0's events while its offset is unknown")
                .containsOnlyKeys(0);
        crashed.abortTransaction(); // the dead instance's transaction is aborted, as its timeout would
        List<String> all = new ArrayList<>(waiting);
        all.addAll(going);
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(all, Duration.ofSeconds(60));

        assertThat(engine.failure()).isNull();
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        assertThat(target.callHistogram(all)).as("calls per event").containsOnlyKeys(1);
    }
}
