package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.config.TopicSettings;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status view's topology without a broker: what the store holds after records of the three topics. */
class StatusTopologyTest {

    private static final TopicSettings TOPICS = new TopicSettings("requests", "results", "dead-letters", 1, null);
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path stateDir;

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> requests;
    private TestInputTopic<byte[], byte[]> results;
    private TestInputTopic<byte[], byte[]> deadLetters;
    private KeyValueStore<String, RequestStatus> store;

    @BeforeEach
    void startDriver() throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("streams")).toString());
        driver = new TopologyTestDriver(StatusTopology.build(TOPICS, codec, RETENTION), config, START);
        ByteArraySerializer bytes = new ByteArraySerializer();
        requests = driver.createInputTopic("requests", bytes, bytes);
        results = driver.createInputTopic("results", bytes, bytes);
        deadLetters = driver.createInputTopic("dead-letters", bytes, bytes);
        store = driver.getKeyValueStore(StatusTopology.STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aRequestIsPendingUntilItsResultThenSucceededWithWhereTheResultIs() throws Exception {
        sendRequest("a", "key-1", 0, START);

        RequestStatus pending = store.get("a");
        assertThat(pending.state()).isEqualTo(RequestStatus.State.PENDING);
        assertThat(pending.request()).isEqualTo(new RequestStatus.Location("requests", 0, 0));
        assertThat(pending.requestedAt()).isEqualTo(START);
        assertThat(pending.outcome()).isNull();

        sendResult("a", "key-1", 0, 201, START.plusSeconds(1));

        RequestStatus done = store.get("a");
        assertThat(done.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.firstAttemptAt()).isEqualTo(START);
        assertThat(done.outcome()).isEqualTo(new RequestStatus.Location("results", 0, 0));
        assertThat(done.request()).isEqualTo(new RequestStatus.Location("requests", 0, 0));
        assertThat(done.completedAt()).isEqualTo(START.plusSeconds(1));
        assertThat(done.replayCount()).isZero();
    }

    @Test
    void aDeadLetterMakesItFailedWithItsCategoryAndARedactedMessage() throws Exception {
        sendRequest("b", "key-2", 0, START);
        sendDeadLetter("b", "key-2", 0, FailureCategory.RETRIES_EXHAUSTED, 503,
                "503 from https://user:pw@api.example/x?token=s3cret", START.plusSeconds(2));

        RequestStatus failed = store.get("b");
        assertThat(failed.state()).isEqualTo(RequestStatus.State.FAILED);
        assertThat(failed.category()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.errorMessage()).doesNotContain("s3cret").doesNotContain("pw@");
        assertThat(failed.outcome()).isEqualTo(new RequestStatus.Location("dead-letters", 0, 0));
    }

    @Test
    void aReplayedRequestIsPendingAgainThenTakesItsNewOutcomeAndCountsTheReplay() throws Exception {
        sendRequest("c", "key-3", 0, START);
        sendDeadLetter("c", "key-3", 0, FailureCategory.RETRIES_EXHAUSTED, 503, "down", START.plusSeconds(1));
        sendRequest("c", "key-3", 1, START.plusSeconds(5));

        RequestStatus replayed = store.get("c");
        assertThat(replayed.state()).isEqualTo(RequestStatus.State.PENDING);
        assertThat(replayed.replayCount()).isEqualTo(1);
        assertThat(replayed.category()).isNull();
        assertThat(replayed.request()).isEqualTo(new RequestStatus.Location("requests", 0, 1));

        sendResult("c", "key-3", 1, 200, START.plusSeconds(6));

        RequestStatus done = store.get("c");
        assertThat(done.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(done.replayCount()).isEqualTo(1);
        assertThat(done.statusCode()).isEqualTo(200);
    }

    @Test
    void aResultReadBeforeItsRequestStaysTheOutcome() throws Exception {
        sendResult("d", "key-4", 0, 200, START.plusSeconds(1));
        sendRequest("d", "key-4", 0, START);

        RequestStatus status = store.get("d");
        assertThat(status.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(status.request()).isEqualTo(new RequestStatus.Location("requests", 0, 0));
        assertThat(status.updatedAt()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void recordsWithoutARequestIdAreLeftOutAndAnUnknownIdIsAbsent() throws Exception {
        requests.pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8),
                "not an event".getBytes(StandardCharsets.UTF_8), START));
        requests.pipeInput(new TestRecord<byte[], byte[]>("tombstone".getBytes(StandardCharsets.UTF_8), null, START));
        DeadLetterEntry undecodable = new DeadLetterEntry(null, Bytes.utf8("k"), Bytes.utf8("not an event"),
                new Outcome.DeadLetter(FailureCategory.UNDECODABLE, null, "not Avro", Attempts.NONE), START,
                new Source("requests", 0, 0), 0);
        deadLetters.pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8),
                codec.encodeDeadLetter("dead-letters", undecodable), START));

        assertThat(store.approximateNumEntries()).isZero();
        assertThat(store.get("never-sent")).isNull();
    }

    @Test
    void entriesOlderThanTheRetentionAreRemovedAndNewerOnesKept() throws Exception {
        sendRequest("old", "k", 0, START);
        sendRequest("new", "k", 0, START.plus(Duration.ofMinutes(5)));

        driver.advanceWallClockTime(Duration.ofMinutes(10).plusSeconds(61));

        assertThat(store.get("old")).isNull();
        assertThat(store.get("new")).isNotNull();

        driver.advanceWallClockTime(Duration.ofMinutes(5));

        assertThat(store.get("new")).isNull();
    }

    @Test
    void recordsAlreadyOlderThanTheRetentionWhenReadAreNotKept() throws Exception {
        sendRequest("ancient", "k", 0, START.minus(RETENTION).minusSeconds(1));

        assertThat(store.get("ancient")).isNull();
    }

    private void sendRequest(String id, String key, int replayCount, Instant at) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (replayCount > 0) {
            headers.add(OutcomeHeaders.REPLAY_COUNT, Integer.toString(replayCount).getBytes(StandardCharsets.UTF_8));
        }
        requests.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8),
                codec.encodeRequest("requests", request(id)), headers, at));
    }

    private void sendResult(String id, String key, int replayCount, int status, Instant at) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (replayCount > 0) {
            headers.add(OutcomeHeaders.REPLAY_COUNT, Integer.toString(replayCount).getBytes(StandardCharsets.UTF_8));
        }
        Outcome.Result result = new Outcome.Result(status, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(30),
                new Attempts(2, START, START.plusMillis(500)));
        results.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8),
                codec.encodeResult("results", request(id), "api.example", result), headers, at));
    }

    private void sendDeadLetter(String id, String key, int replayCount, FailureCategory category, Integer status,
            String message, Instant at) throws Exception {
        DeadLetterEntry entry = new DeadLetterEntry(request(id), Bytes.utf8(key), null,
                new Outcome.DeadLetter(category, status, message, new Attempts(3, START, START.plusSeconds(1))), at,
                new Source("requests", 0, 0), replayCount);
        deadLetters.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8),
                codec.encodeDeadLetter("dead-letters", entry), at));
    }

    private static RequestSpec request(String id) {
        return new RequestSpec(id, "GET", "https://api.example/items/" + id, null, null, Map.of(), null, null, null,
                null, null, null, "corr-" + id, null, Map.of());
    }
}
