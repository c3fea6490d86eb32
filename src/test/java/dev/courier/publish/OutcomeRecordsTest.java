package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventCodec;
import dev.courier.codec.EventType;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Outcome records always fit the size limit, in the fullest form that does, and say what they dropped. */
class OutcomeRecordsTest {

    private static final int LIMIT = 1_048_576;
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final Attempts ONE = new Attempts(1, NOW, NOW);

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final OutcomeRecords records = new OutcomeRecords(codec, "results", "dead-letters",
            Clock.fixed(NOW, ZoneOffset.UTC), LIMIT);

    @Test
    void anOutcomeThatFitsIsSentWholeWithoutADroppedHeader() throws Exception {
        OutcomeRecords.Sized sized = records.of(origin(request("r-1"), Bytes.utf8("k")), "api.example.com",
                result(kib(10), Map.of()), topic -> 6);

        assertThat(sized.reduction()).isEqualTo(Reduction.WHOLE);
        assertThat(sized.record().headers().lastHeader(OutcomeHeaders.DROPPED)).isNull();
        assertThat(new String(sized.record().key(), StandardCharsets.UTF_8)).isEqualTo("k");
    }

    @Test
    void aDeadLetterOfARecordWithA600KiBKeyDropsTheRawKeyAndKeepsTheRecordKey() throws Exception {
        Bytes key = Bytes.copyOf(new byte[600 * 1024]);
        Origin origin = new Origin(new Source("requests", 0, 42), key, null, Bytes.utf8("not avro"), Map.of(), 0, 1, -1);
        Outcome.DeadLetter undecodable = new Outcome.DeadLetter(FailureCategory.UNDECODABLE, null, "not an event",
                Attempts.NONE);

        OutcomeRecords.Sized sized = records.of(origin, null, undecodable, topic -> 6);

        assertFits(sized.record());
        assertThat(sized.reduction()).isEqualTo(Reduction.WITHOUT_RAW_KEY_AND_VALUE);
        assertThat(sized.record().key()).hasSize(600 * 1024);
        ObjectNode letter = deadLetter(sized.record());
        assertThat(letter.has("rawKeyBase64")).isFalse();
        assertThat(letter.get("category").textValue()).isEqualTo("UNDECODABLE");
        assertThat(letter.get("errorMessage").textValue()).startsWith("not an event (the dead letter was over")
                .contains("the raw key (614400 bytes)").contains("requests-0@42");
        assertThat(header(sized.record(), OutcomeHeaders.DROPPED)).isEqualTo("body,headers,attributes,raw");
    }

    @Test
    void aResultWith900KiBOfAttributesAndAFullBodyIsSentWithoutItsBody() throws Exception {
        Map<String, String> attributes = Map.of("blob", "a".repeat(900 * 1024));
        RequestSpec request = new RequestSpec("r-2", "GET", "https://api.example.com/", null, null, Map.of(), null,
                null, null, null, null, null, null, null, attributes);

        OutcomeRecords.Sized sized = records.of(origin(request, Bytes.utf8("k")), "api.example.com",
                result(kib(256), Map.of()), topic -> 6);

        assertFits(sized.record());
        assertThat(sized.reduction()).isEqualTo(Reduction.WITHOUT_BODY);
        ObjectNode result = codec.decodeToJson("results", sized.record().value(), EventType.RESULT);
        assertThat(result.get("bodyTruncated").booleanValue()).isTrue();
        assertThat(result.get("attributes").get("blob").textValue()).hasSize(900 * 1024);
    }

    @Test
    void aResultWithAMebibyteOfResponseHeadersDropsThemAndTheAttributes() throws Exception {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            headers.put("X-Filler-" + i, "h".repeat(16 * 1024));
        }

        OutcomeRecords.Sized sized = records.of(origin(request("r-3"), Bytes.utf8("k")), "api.example.com",
                result(kib(1), headers), topic -> 6);

        assertFits(sized.record());
        assertThat(sized.reduction()).isEqualTo(Reduction.WITHOUT_HEADERS_AND_ATTRIBUTES);
        ObjectNode result = codec.decodeToJson("results", sized.record().value(), EventType.RESULT);
        assertThat(result.get("headers").size()).isZero();
        assertThat(result.get("statusCode").intValue()).isEqualTo(200);
    }

    @Test
    void aKeyOverTheLimitIsLeftOutAndTheRecordGoesToThePartitionTheKeyWouldChoose() throws Exception {
        byte[] key = new byte[1_100_000];
        key[0] = 7;

        OutcomeRecords.Sized sized = records.of(origin(request("r-4"), Bytes.copyOf(key)), "api.example.com",
                result(kib(1), Map.of()), topic -> 6);

        assertFits(sized.record());
        assertThat(sized.reduction()).isEqualTo(Reduction.MINIMAL);
        assertThat(sized.record().key()).isNull();
        assertThat(sized.record().partition()).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % 6);
        assertThat(header(sized.record(), OutcomeHeaders.REQUEST_ID)).isEqualTo("r-4");
    }

    @Test
    void theMinimalDeadLetterFitsWhateverItsIdMessageAndTraceWeigh() throws Exception {
        String huge = "x".repeat(2 * 1024 * 1024);
        RequestSpec request = new RequestSpec(huge, "GET", "https://api.example.com/", null, null, Map.of(), null,
                null, null, null, null, null, huge, null, Map.of());
        Origin origin = new Origin(new Source("requests", 3, 9), Bytes.copyOf(new byte[900_000]), request, null,
                Map.of("tracestate", Bytes.copyOf(new byte[900_000])), 0, 1, -1);
        Outcome.DeadLetter failure = new Outcome.DeadLetter(FailureCategory.HTTP_CLIENT_ERROR, 404, huge, ONE);

        OutcomeRecords.Sized sized = records.of(origin, "api.example.com", failure, topic -> 0);

        assertFits(sized.record());
        assertThat(sized.reduction()).isEqualTo(Reduction.MINIMAL);
        ObjectNode letter = deadLetter(sized.record());
        assertThat(letter.has("request")).isFalse();
        assertThat(letter.get("requestId").textValue()).startsWith("xxx").endsWith("more characters]");
        assertThat(letter.get("sourcePartition").intValue()).isEqualTo(3);
        assertThat(letter.get("sourceOffset").longValue()).isEqualTo(9);
        assertThat(letter.get("lastStatusCode").intValue()).isEqualTo(404);
        assertThat(sized.record().headers().lastHeader("tracestate")).isNull();
    }

    @Test
    void anOutcomeThatCannotBeEncodedBecomesAnInternalErrorDeadLetter() throws Exception {
        Outcome.Result unencodable = new Outcome.Result(200, Map.of(), Bytes.empty(), false, Duration.ZERO,
                Attempts.NONE); // a result without attempt times breaks the schema: a defect

        OutcomeRecords.Sized sized = records.of(origin(request("r-5"), Bytes.utf8("k")), "api.example.com",
                unencodable, topic -> 6);

        assertThat(sized.record().topic()).isEqualTo("dead-letters");
        ObjectNode letter = deadLetter(sized.record());
        assertThat(letter.get("category").textValue()).isEqualTo("INTERNAL_ERROR");
        assertThat(letter.get("requestId").textValue()).isEqualTo("r-5");
        assertThat(letter.get("errorMessage").textValue()).contains("could not encode")
                .contains("a result with HTTP status 200");
    }

    @Test
    void afterTheBrokerRefusedARecordAsTooLargeTheEventsNextRecordIsSmaller() throws Exception {
        Origin origin = origin(request("r-6"), Bytes.utf8("k"));
        OutcomeRecords.Sized first = records.of(origin, "h", result(kib(10), Map.of()), topic -> 6);

        assertThat(records.refused(origin, first.reduction())).isTrue();
        OutcomeRecords.Sized second = records.of(origin, "h", result(kib(10), Map.of()), topic -> 6);

        assertThat(second.reduction()).isEqualTo(Reduction.WITHOUT_BODY);
        assertThat(records.refused(origin, Reduction.MINIMAL)).as("nothing is smaller than minimal").isFalse();
    }

    private static void assertFits(ProducerRecord<byte[], byte[]> record) {
        assertThat(RecordSize.fits(RecordSize.of(record), LIMIT)).as("%d bytes fit %d", RecordSize.of(record), LIMIT)
                .isTrue();
    }

    private ObjectNode deadLetter(ProducerRecord<byte[], byte[]> record) throws Exception {
        return codec.decodeToJson("dead-letters", record.value(), EventType.DEAD_LETTER);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static RequestSpec request(String id) {
        return new RequestSpec(id, "GET", "https://api.example.com/", null, null, Map.of(), null, null, null, null,
                null, null, "corr-" + id, null, Map.of("a", "b"));
    }

    private static Origin origin(RequestSpec request, Bytes key) {
        return new Origin(new Source("requests", 0, 1), key, request, null, Map.of(), 0, 1, -1);
    }

    private static Outcome.Result result(Bytes body, Map<String, String> headers) {
        return new Outcome.Result(200, headers, body, false, Duration.ofMillis(5), ONE);
    }

    private static Bytes kib(int kib) {
        return Bytes.copyOf(new byte[kib * 1024]);
    }
}
