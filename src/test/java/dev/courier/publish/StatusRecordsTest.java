package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestStatus;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The status records that go with outcomes, retry waits and replays: small, keyed by id, and free of secrets. */
class StatusRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant REQUESTED = NOW.minusSeconds(3);
    private static final String SECRET = "s3cret-token-value";

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final StatusRecords statuses = new StatusRecords(codec, "status", Clock.fixed(NOW, ZoneOffset.UTC));
    private final OutcomeRecords records = new OutcomeRecords(codec, "results", "dead-letters",
            Clock.fixed(NOW, ZoneOffset.UTC), 1_048_576, statuses);

    @Test
    void aResultComesWithOneSucceededStatusKeyedByTheIdThatSaysWhereTheRequestAndTheResultAre() throws Exception {
        OutcomeRecords.Sized sized = records.of(origin("r-1", Bytes.utf8("key-1"), 0), "api.example.com",
                result(201, 64 * 1024), topic -> 6);

        ProducerRecord<byte[], byte[]> record = sized.status();
        assertThat(record.topic()).isEqualTo("status");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("r-1");
        assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(record.headers().toArray()).isEmpty();
        RequestStatus status = codec.decodeStatus("status", record.value());
        assertThat(status.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(status.statusCode()).isEqualTo(201);
        assertThat(status.attempts()).isEqualTo(2);
        assertThat(status.firstAttemptAt()).isEqualTo(NOW.minusSeconds(2));
        assertThat(status.lastAttemptAt()).isEqualTo(NOW.minusSeconds(1));
        assertThat(status.requestedAt()).isEqualTo(REQUESTED);
        assertThat(status.updatedAt()).isEqualTo(NOW);
        assertThat(status.request()).isEqualTo(new RequestStatus.Position("requests", 2, 40L));
        int partition = Utils.toPositive(Utils.murmur2("key-1".getBytes(StandardCharsets.UTF_8))) % 6;
        assertThat(status.outcome()).isEqualTo(new RequestStatus.Position("results", partition, null));
        assertThat(status.category()).isNull();
        assertThat(status.message()).isNull();
        assertThat(record.value().length).as("a 64 KiB response leaves no trace in its status").isLessThan(120);
    }

    @Test
    void aDeadLetterComesWithAFailedStatusWithItsCategoryAndAShortRedactedMessage() throws Exception {
        Outcome.DeadLetter letter = new Outcome.DeadLetter(FailureCategory.HTTP_CLIENT_ERROR, 404,
                "the target answered 404 at https://user:pw@api.example.com/x?token=" + SECRET + " " + "x".repeat(500),
                new Attempts(1, NOW, NOW));

        OutcomeRecords.Sized sized = records.of(origin("r-2", Bytes.utf8("k"), 2), null, letter, topic -> 6);

        RequestStatus status = codec.decodeStatus("status", sized.status().value());
        assertThat(status.state()).isEqualTo(RequestStatus.State.FAILED);
        assertThat(status.category()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(status.statusCode()).isEqualTo(404);
        assertThat(status.replayCount()).isEqualTo(2);
        assertThat(status.outcome().topic()).isEqualTo("dead-letters");
        assertThat(status.message()).startsWith("the target answered 404").hasSizeLessThanOrEqualTo(200)
                .doesNotContain(SECRET).doesNotContain("pw@");
        assertThat(new String(sized.status().value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
    }

    @Test
    void anOutcomeCourierCouldNotEncodeHasTheStatusOfWhatWasPublishedInstead() throws Exception {
        Outcome.Result unencodable = new Outcome.Result(200, Map.of("bad", "x"), Bytes.utf8("ok"), false,
                Duration.ofMillis(3), new Attempts(1, NOW, NOW));
        RequestSpec request = new RequestSpec("r-3", "GET", "https://api.example.com/", null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());
        Origin origin = new Origin(new Source("requests", 0, 1), Bytes.utf8("k"), request, null, Map.of(), 0, 1, -1);

        OutcomeRecords.Sized sized = records.of(origin, null, unencodable, topic -> 6);

        assertThat(sized.record().topic()).as("no targetHost: a result cannot be encoded").isEqualTo("dead-letters");
        RequestStatus status = codec.decodeStatus("status", sized.status().value());
        assertThat(status.state()).isEqualTo(RequestStatus.State.FAILED);
        assertThat(status.category()).isEqualTo("INTERNAL_ERROR");
        assertThat(status.requestedAt()).as("the record had no timestamp").isNull();
    }

    @Test
    void aRecordThatIsNotAnEventHasNoStatusAndAKeylessOutcomeNoPartition() throws Exception {
        Origin undecodable = new Origin(new Source("requests", 0, 5), Bytes.utf8("k"), null, Bytes.utf8("junk"),
                Map.of(), 0, 1, -1);
        Outcome.DeadLetter letter = new Outcome.DeadLetter(FailureCategory.UNDECODABLE, null, "not Avro",
                Attempts.NONE);

        assertThat(records.of(undecodable, null, letter, topic -> 6).status()).isNull();

        OutcomeRecords.Sized keyless = records.of(origin("r-4", null, 0), "api.example.com", result(200, 10),
                topic -> 6);
        assertThat(codec.decodeStatus("status", keyless.status().value()).outcome())
                .isEqualTo(new RequestStatus.Position("results", null, null));
    }

    @Test
    void withoutStatusRecordsAnOutcomeComesAlone() throws Exception {
        OutcomeRecords alone = new OutcomeRecords(codec, "results", "dead-letters", Clock.fixed(NOW, ZoneOffset.UTC),
                1_048_576);

        assertThat(alone.of(origin("r-5", Bytes.utf8("k"), 0), "h", result(200, 10), topic -> 6).status()).isNull();
    }

    @Test
    void aRetryingStatusSaysTheAttemptsTheLastStatusAndWhenTheNextIsDue() throws Exception {
        ProducerRecord<byte[], byte[]> record = statuses.retrying(origin("r-6", Bytes.utf8("k"), 1), 2,
                NOW.minusSeconds(2), NOW.minusSeconds(1), 503, null, NOW.plusSeconds(4));

        RequestStatus status = codec.decodeStatus("status", record.value());
        assertThat(status.state()).isEqualTo(RequestStatus.State.RETRYING);
        assertThat(status.attempts()).isEqualTo(2);
        assertThat(status.statusCode()).isEqualTo(503);
        assertThat(status.nextAttemptAt()).isEqualTo(NOW.plusSeconds(4));
        assertThat(status.replayCount()).isEqualTo(1);
        assertThat(status.outcome()).isNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("r-6");
    }

    @Test
    void aReplaysPendingStatusCarriesItsNewReplayCountAndWhereTheRequestGoes() throws Exception {
        ProducerRecord<byte[], byte[]> record = statuses.pending("r-7", 3, "requests", 4);

        RequestStatus status = codec.decodeStatus("status", record.value());
        assertThat(status.state()).isEqualTo(RequestStatus.State.PENDING);
        assertThat(status.replayCount()).isEqualTo(3);
        assertThat(status.request()).isEqualTo(new RequestStatus.Position("requests", 4, null));
        assertThat(status.requestedAt()).isEqualTo(NOW);
        assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
    }

    private static Origin origin(String id, Bytes key, int replayCount) {
        RequestSpec request = new RequestSpec(id, "POST", "https://api.example.com/x?token=" + SECRET, null, null,
                Map.of("Authorization", "Bearer " + SECRET), Bytes.utf8("body " + SECRET), null, null, null, null,
                null, null, null, Map.of());
        return new Origin(new Source("requests", 2, 40), key, request, null, Map.of(), replayCount, 1,
                REQUESTED.toEpochMilli());
    }

    private static Outcome.Result result(int status, int bodyBytes) {
        return new Outcome.Result(status, Map.of("Set-Cookie", "session=" + SECRET),
                Bytes.copyOf(new byte[bodyBytes]), false, Duration.ofMillis(3),
                new Attempts(2, NOW.minusSeconds(2), NOW.minusSeconds(1)));
    }
}
