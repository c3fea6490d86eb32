package dev.courier.codec;

import dev.courier.testkit.InMemorySchemaRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final EventCodec codec = EventCodec.create(registry, true);

    @Test
    void aRequestSurvivesEncodingAndDecodingWithEveryField() throws Exception {
        RequestSpec request = new RequestSpec("r-1", "POST", null, "payments", "/charges?x=1",
                Map.of("X-Trace", "abc"), Bytes.copyOf(new byte[] {0, (byte) 0xff, 7}), "application/octet-stream",
                1500L, 3, Instant.parse("2026-11-21T10:15:30.123Z"), "idem-1", "corr-1", "orders",
                Map.of("tenant", "t1"));

        byte[] value = codec.encodeRequest("requests", request);

        assertThat(value[0]).isZero();
        assertThat(codec.decodeRequest("requests", value)).isEqualTo(request);
    }

    @Test
    void aMinimalRequestKeepsItsNullsAndEmptyMaps() throws Exception {
        RequestSpec request = new RequestSpec("r-2", "GET", "https://a.example.com", null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());

        assertThat(codec.decodeRequest("requests", codec.encodeRequest("requests", request))).isEqualTo(request);
    }

    @Test
    void aRequestSurvivesJsonBothWays() throws Exception {
        RequestSpec request = new RequestSpec("r-3", "PUT", "https://a.example.com/x", null, null, Map.of("A", "b"),
                Bytes.utf8("{\"n\":1}"), "application/json", null, 2, null, null, "c", null, Map.of());

        ObjectNode json = EventJson.toJson(request);

        assertThat(json.get("body").textValue()).isEqualTo("{\"n\":1}");
        assertThat(EventJson.requestFromJson(json)).isEqualTo(request);
    }

    @Test
    void anyEventTypeDecodesToJson() throws Exception {
        byte[] result = EventSerde.create(registry, true).encode("results", Events.result());

        ObjectNode json = codec.decodeToJson("results", result, EventType.RESULT);

        assertThat(json.get("requestId").textValue()).isEqualTo(Events.result().getRequestId());
    }

    @Test
    void decodingAResultAsARequestIsAnIncompatibleSchema() throws Exception {
        byte[] result = EventSerde.create(registry, true).encode("results", Events.result());

        assertThatThrownBy(() -> codec.decodeRequest("results", result))
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(DecodeException.Reason.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void aResultCarriesTheResponseTheAttemptsAndTheRequestsEchoedFields() throws Exception {
        RequestSpec request = new RequestSpec("r-9", "GET", "https://a.example.com/x", null, null, Map.of(), null,
                null, null, null, null, null, "corr-9", null, Map.of("team", "billing"));
        Outcome.Result result = new Outcome.Result(201, Map.of("Content-Type", "text/plain"), Bytes.utf8("made"),
                true, Duration.ofMillis(42), new Attempts(2, Instant.parse("2026-11-21T10:00:00Z"),
                        Instant.parse("2026-11-21T10:00:01.500Z")));

        ObjectNode json = codec.decodeToJson("results", codec.encodeResult("results", request, "a.example.com", result),
                EventType.RESULT);

        assertThat(json.toString()).isEqualTo("{\"requestId\":\"r-9\",\"correlationId\":\"corr-9\",\"statusCode\":201,"
                + "\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":\"made\",\"bodyTruncated\":true,\"attempts\":2,"
                + "\"firstAttemptAt\":\"2026-11-21T10:00:00.000Z\",\"lastAttemptAt\":\"2026-11-21T10:00:01.500Z\","
                + "\"latencyMs\":42,\"targetHost\":\"a.example.com\",\"attributes\":{\"team\":\"billing\"}}");
    }

    @Test
    void aDeadLetterCarriesTheWholeRequestTheCategoryAndTheSource() throws Exception {
        RequestSpec request = new RequestSpec("r-10", "POST", "https://a.example.com/x", null, null, Map.of(),
                Bytes.utf8("{}"), "application/json", null, null, null, null, null, null, Map.of());
        DeadLetterEntry entry = new DeadLetterEntry(request, Bytes.utf8("order-7"), null,
                new Outcome.DeadLetter(FailureCategory.HTTP_CLIENT_ERROR, 404, "404 Not Found",
                        new Attempts(1, Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:00:00Z"))),
                Instant.parse("2026-11-21T10:00:00.250Z"), new Source("requests", 3, 77), 1);

        ObjectNode json = codec.decodeToJson("dead", codec.encodeDeadLetter("dead", entry), EventType.DEAD_LETTER);

        assertThat(json.get("requestId").textValue()).isEqualTo("r-10");
        assertThat(json.get("request")).isEqualTo(EventJson.toJson(request));
        assertThat(json.get("rawKeyBase64").textValue()).isEqualTo("b3JkZXItNw==");
        assertThat(json.has("rawValueBase64")).isFalse();
        assertThat(json.get("category").textValue()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(json.get("lastStatusCode").intValue()).isEqualTo(404);
        assertThat(json.get("errorMessage").textValue()).isEqualTo("404 Not Found");
        assertThat(json.get("sourceTopic").textValue()).isEqualTo("requests");
        assertThat(json.get("sourcePartition").intValue()).isEqualTo(3);
        assertThat(json.get("sourceOffset").longValue()).isEqualTo(77);
        assertThat(json.get("replayCount").intValue()).isEqualTo(1);
        assertThat(json.get("failedAt").textValue()).isEqualTo("2026-11-21T10:00:00.250Z");
    }

    @Test
    void anUndecodableRecordsDeadLetterKeepsItsRawBytesAndNoAttempts() throws Exception {
        DeadLetterEntry entry = new DeadLetterEntry(null, null, Bytes.copyOf(new byte[] {1, 2, 3}),
                new Outcome.DeadLetter(FailureCategory.UNDECODABLE, null, "bad magic byte", Attempts.NONE),
                Instant.parse("2026-11-21T10:00:00Z"), new Source("requests", 0, 5), 0);

        ObjectNode json = codec.decodeToJson("dead", codec.encodeDeadLetter("dead", entry), EventType.DEAD_LETTER);

        assertThat(json.has("request")).isFalse();
        assertThat(json.has("requestId")).isFalse();
        assertThat(json.get("rawValueBase64").textValue()).isEqualTo("AQID");
        assertThat(json.get("attempts").intValue()).isZero();
        assertThat(json.has("firstAttemptAt")).isFalse();
    }

    @Test
    void everyModelFailureCategoryHasAnAvroSymbol() {
        for (FailureCategory category : FailureCategory.values()) {
            assertThat(dev.courier.avro.FailureCategory.valueOf(category.name())).isNotNull();
        }
    }

    @Test
    void preparingOutcomesRegistersBothSchemasOnce() throws Exception {
        codec.prepareOutcomes("results", "dead");
        int calls = registry.calls();

        codec.prepareOutcomes("results", "dead");

        assertThat(calls).isEqualTo(2);
        assertThat(registry.calls()).isEqualTo(2);
    }
}
