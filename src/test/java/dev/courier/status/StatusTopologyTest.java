package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.model.RequestStatus;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status view's topology without a broker: what the store holds after records of the status topic. */
class StatusTopologyTest {

    private static final String TOPIC = "status";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path stateDir;

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final Topology topology = StatusTopology.build(TOPIC, RETENTION);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> statuses;
    private KeyValueStore<String, ValueAndTimestamp<byte[]>> store;

    @BeforeEach
    void startDriver() throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("streams")).toString());
        driver = new TopologyTestDriver(topology, config, START);
        statuses = driver.createInputTopic(TOPIC, new StringSerializer(), new ByteArraySerializer());
        store = driver.getTimestampedKeyValueStore(StatusTopology.STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void theViewReadsOnlyTheStatusTopicAndWritesNothing() throws Exception {
        TopologyDescription description = topology.describe();
        assertThat(description.subtopologies()).hasSize(1);
        assertThat(description.globalStores()).isEmpty();
        assertThat(description.subtopologies().iterator().next().nodes())
                .filteredOn(node -> node instanceof TopologyDescription.Source)
                .singleElement()
                .satisfies(source -> assertThat(((TopologyDescription.Source) source).topicSet())
                        .containsExactly(TOPIC));

        send(status("a", RequestStatus.State.SUCCEEDED, 0, START));
        send(status("b", RequestStatus.State.RETRYING, 0, START));
        driver.advanceWallClockTime(RETENTION.plusMinutes(2));

        assertThat(driver.producedTopicNames()).as("no repartition, no changelog, no tombstones").isEmpty();
    }

    @Test
    void eachIdHoldsItsLatestRecordAsWrittenWithItsTimestampUndecoded() throws Exception {
        byte[] retrying = send(status("a", RequestStatus.State.RETRYING, 0, START));
        assertThat(store.get("a").value()).isEqualTo(retrying);

        byte[] succeeded = send(status("a", RequestStatus.State.SUCCEEDED, 0, START.plusSeconds(1)));

        assertThat(store.get("a").value()).isEqualTo(succeeded);
        assertThat(store.get("a").timestamp()).isEqualTo(START.plusSeconds(1).toEpochMilli());
        assertThat(codec.decodeStatus(TOPIC, store.get("a").value()).state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(store.get("never-sent")).isNull();
    }

    @Test
    void ofTwoOutcomesAtOneReplayCountTheOneWrittenLaterWinsWhateverItsKindOrTime() throws Exception {
        // an at-least-once crash can leave a dead letter and a result of one event, both at replay count 0: the
        // status topic has their statuses in the order they were written, and the view takes that order (the one
        // compaction keeps), not the order of two topics read side by side
        send(status("x", RequestStatus.State.FAILED, 0, START.plusSeconds(5)));
        send(status("x", RequestStatus.State.SUCCEEDED, 0, START.plusSeconds(4)));
        send(status("y", RequestStatus.State.SUCCEEDED, 0, START));
        send(status("y", RequestStatus.State.FAILED, 0, START.plusSeconds(1)));

        assertThat(codec.decodeStatus(TOPIC, store.get("x").value()).state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(codec.decodeStatus(TOPIC, store.get("y").value()).state()).isEqualTo(RequestStatus.State.FAILED);
    }

    @Test
    void aTombstoneRemovesTheId() throws Exception {
        send(status("t", RequestStatus.State.FAILED, 0, START));

        statuses.pipeInput(new TestRecord<>("t", null, START.plusSeconds(1)));

        assertThat(store.get("t")).isNull();
    }

    @Test
    void entriesOlderThanTheRetentionAreDroppedFromMemoryAndNewerOnesKept() throws Exception {
        send(status("old", RequestStatus.State.SUCCEEDED, 0, START));
        send(status("new", RequestStatus.State.SUCCEEDED, 0, START.plus(Duration.ofMinutes(5))));

        driver.advanceWallClockTime(RETENTION.plusSeconds(61));

        assertThat(store.get("old")).isNull();
        assertThat(store.get("new")).isNotNull();

        driver.advanceWallClockTime(Duration.ofMinutes(5));

        assertThat(store.get("new")).isNull();
    }

    @Test
    void aRecordAlreadyOlderThanTheRetentionWhenReadIsNotKept() throws Exception {
        send(status("ancient", RequestStatus.State.SUCCEEDED, 0, START.minus(RETENTION).minusSeconds(1)));

        assertThat(store.get("ancient")).isNull();
    }

    private byte[] send(RequestStatus status) throws Exception {
        byte[] value = codec.encodeStatus(TOPIC, status);
        statuses.pipeInput(new TestRecord<>(status.id(), value, status.updatedAt()));
        return value;
    }

    private static RequestStatus status(String id, RequestStatus.State state, int replayCount, Instant at) {
        boolean failed = state == RequestStatus.State.FAILED;
        return new RequestStatus(id, state, replayCount, failed ? 503 : 200, 1, failed ? "RETRIES_EXHAUSTED" : null,
                failed ? "503 Service Unavailable" : null, at, at, at, null, at,
                new RequestStatus.Position("requests", 0, 3L),
                state.isFinal() ? new RequestStatus.Position(failed ? "dead-letters" : "results", 0, null) : null);
    }
}
