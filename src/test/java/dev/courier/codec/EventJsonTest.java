package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.RequestEvent;
import dev.courier.avro.ResultEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestIsPrintedWithSchemaNamesTextBodyAndIsoDeadlineAndNoNulls() throws Exception {
        ObjectNode json = EventJson.toJson(Events.request());

        assertThat(printed(json)).isEqualTo(JSON.readTree("""
                {"id": "r-1", "method": "POST", "url": "https://api.example.com/orders",
                  "headers": {"X-Trace": "abc"}, "body": "{\\"n\\":1}",
                  "contentType": "application/json", "timeoutMs": 1500, "maxAttempts": 3,
                  "deadline": "2026-11-21T10:15:30.123Z", "correlationId": "c-9",
                  "attributes": {"tenant": "t1"}}
                """));
    }

    @Test
    void aRequestSurvivesPrintingAndReadingBack() throws Exception {
        assertThat(EventJson.requestEventFromJson(EventJson.toJson(Events.request())))
                .isEqualTo(Events.request());
        assertThat(EventJson.requestEventFromJson(EventJson.toJson(Events.minimalRequest())))
                .isEqualTo(Events.minimalRequest());
    }

    @Test
    void aBodyThatIsNotUtf8IsPrintedAsBase64AndSurvivesTheRoundTrip() throws Exception {
        RequestEvent request = Events.request();
        request.setBody(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, (byte) 0xc3, 0x28}));

        ObjectNode json = EventJson.toJson(request);

        assertThat(json.has("body")).isFalse();
        assertThat(json.get("bodyBase64").textValue()).isEqualTo("/wDDKA==");
        assertThat(EventJson.requestEventFromJson(json)).isEqualTo(request);
    }

    @Test
    void anEmptyBodyIsAnEmptyStringNotAnAbsentBody() throws Exception {
        RequestEvent request = Events.minimalRequest();
        request.setBody(ByteBuffer.allocate(0));

        ObjectNode json = EventJson.toJson(request);

        assertThat(json.get("body").textValue()).isEmpty();
        assertThat(EventJson.requestEventFromJson(json)).isEqualTo(request);
    }

    @Test
    void aTimestampOnAWholeSecondStillShowsMilliseconds() {
        ObjectNode json = EventJson.toJson(Events.result());

        assertThat(json.get("firstAttemptAt").textValue()).isEqualTo("2026-11-21T10:15:30.000Z");
        assertThat(json.get("lastAttemptAt").textValue()).isEqualTo("2026-11-21T10:15:31.500Z");
    }

    @Test
    void aResultIsPrintedWithItsBooleanAndNumbers() throws Exception {
        assertThat(printed(EventJson.toJson(Events.result()))).isEqualTo(JSON.readTree("""
                {"requestId": "r-1", "statusCode": 201, "headers": {"Content-Type": "text/plain"},
                  "body": "created", "bodyTruncated": false, "attempts": 2,
                  "firstAttemptAt": "2026-11-21T10:15:30.000Z",
                  "lastAttemptAt": "2026-11-21T10:15:31.500Z", "latencyMs": 42,
                  "targetHost": "api.example.com", "attributes": {}}
                """));
    }

    @Test
    void aDeadLetterNestsItsRequestAndPrintsTheCategorySymbolAndRawBytesAsBase64()
            throws Exception {
        DeadLetterEvent deadLetter = Events.deadLetter();
        deadLetter.setRawValue(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));

        ObjectNode json = EventJson.toJson(deadLetter);

        assertThat(json.get("request")).isEqualTo(EventJson.toJson(Events.request()));
        assertThat(json.get("category").textValue()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(json.get("rawKeyBase64").textValue()).isEqualTo("awE=");
        assertThat(json.get("rawValueBase64").textValue()).isEqualTo("aGVsbG8=");
        assertThat(json.has("rawValue")).isFalse();
        assertThat(json.get("failedAt").textValue()).isEqualTo("2026-11-21T10:15:41.000Z");
        assertThat(json.get("lastStatusCode").intValue()).isEqualTo(503);
        assertThat(json.get("sourceOffset").longValue()).isEqualTo(1234L);
    }

    @Test
    void everyEventTypeSurvivesPrintingAndReadingBack() throws Exception {
        DeadLetterEvent deadLetter = Events.deadLetter();
        deadLetter.setRawValue(ByteBuffer.wrap(new byte[] {0, 1, 2}));

        assertThat(EventJson.fromJson(EventJson.toJson(deadLetter), DeadLetterEvent.class))
                .isEqualTo(deadLetter);
        assertThat(EventJson.fromJson(EventJson.toJson(Events.result()), ResultEvent.class))
                .isEqualTo(Events.result());
    }

    @Test
    void absentFieldsTakeTheirSchemaDefaults() throws Exception {
        RequestEvent request = EventJson.requestEventFromJson(json("{\"id\": \"r-1\"}"));

        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getHeaders()).isEmpty();
        assertThat(request.getBody()).isNull();
        assertThat(request.getDeadline()).isNull();
    }

    @Test
    void explicitNullsAreAcceptedForNullableFields() throws Exception {
        RequestEvent request = EventJson.requestEventFromJson(
                json("{\"id\": \"r-1\", \"url\": null, \"body\": null, \"deadline\": null}"));

        assertThat(request).isEqualTo(RequestEvent.newBuilder().setId("r-1").build());
    }

    @Test
    void aTextBodyIsEncodedAsUtf8() throws Exception {
        RequestEvent request = EventJson.requestEventFromJson(json("{\"id\": \"r\", \"body\": \"héllo\"}"));

        assertThat(request.getBody())
                .isEqualTo(ByteBuffer.wrap("héllo".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDeadlineMayBeEpochMillisecondsOrAnInstantWithAnyOffset() throws Exception {
        Instant expected = Instant.parse("2026-11-21T10:15:30.123Z");

        assertThat(EventJson.requestEventFromJson(json("{\"id\": \"r\", \"deadline\": "
                + expected.toEpochMilli() + "}")).getDeadline()).isEqualTo(expected);
        assertThat(EventJson.requestEventFromJson(json(
                "{\"id\": \"r\", \"deadline\": \"2026-11-21T12:15:30.123+02:00\"}")).getDeadline())
                .isEqualTo(expected);
        assertThat(EventJson.requestEventFromJson(json(
                "{\"id\": \"r\", \"deadline\": \"2026-11-21T10:15:30.123456789Z\"}")).getDeadline())
                .isEqualTo(expected);
    }

    @Test
    void anUnknownFieldIsRefusedWithTheNearestKnownName() {
        assertProblems("{\"id\": \"r\", \"methd\": \"GET\"}",
                "unknown field \"methd\" (did you mean \"method\"?)");
        assertProblems("{\"id\": \"r\", \"MaxAttempt\": 2}",
                "unknown field \"MaxAttempt\" (did you mean \"maxAttempts\"?)");
        assertProblems("{\"id\": \"r\", \"body64\": \"aGk=\"}",
                "unknown field \"body64\" (did you mean \"body\"?)");
    }

    @Test
    void anUnknownFieldFarFromEveryNameListsTheKnownOnes() {
        assertProblems("{\"id\": \"r\", \"colour\": \"red\"}",
                "unknown field \"colour\"; known fields are id, method, url, target, path, headers, "
                        + "body, bodyBase64, contentType, timeoutMs, maxAttempts, deadline, "
                        + "idempotencyKey, correlationId, rateLimitKey, attributes");
    }

    @Test
    void aWrongJsonTypeIsNamedWithItsField() {
        assertProblems("{\"id\": \"r\", \"maxAttempts\": \"three\"}",
                "field \"maxAttempts\" must be an integer, got \"three\"");
        assertProblems("{\"id\": \"r\", \"maxAttempts\": 2.5}",
                "field \"maxAttempts\" must be an integer, got 2.5");
        assertProblems("{\"id\": 7}", "field \"id\" must be a string, got 7");
        assertProblems("{\"id\": \"r\", \"method\": null}", "field \"method\" must be a string, got null");
        assertProblems("{\"id\": \"r\", \"headers\": [\"a\"]}",
                "field \"headers\" must be an object, got [\"a\"]");
        assertProblems("{\"id\": \"r\", \"headers\": {\"X-A\": 1}}",
                "field \"headers.X-A\" must be a string, got 1");
        assertProblems("{\"id\": \"r\", \"attributes\": {\"a\": null}}",
                "field \"attributes.a\" must be a string, got null");
    }

    @Test
    void aJsonBodyMustBeGivenAsAString() {
        assertProblems("{\"id\": \"r\", \"body\": {\"n\": 1}}",
                "field \"body\" must be a string, got {\"n\":1} (to send JSON, give it as a JSON string)");
    }

    @Test
    void numbersOutsideTheirAvroTypeAreRefused() {
        assertProblems("{\"id\": \"r\", \"maxAttempts\": 3000000000}",
                "field \"maxAttempts\" must be between -2147483648 and 2147483647, got 3000000000");
        assertProblems("{\"id\": \"r\", \"timeoutMs\": 99999999999999999999}",
                "field \"timeoutMs\" must be between -9223372036854775808 and 9223372036854775807, "
                        + "got 99999999999999999999");
    }

    @Test
    void theIdIsRequiredAndMustNotBeEmpty() {
        assertProblems("{\"method\": \"GET\"}", "missing required field \"id\"");
        assertProblems("{\"id\": \"\"}", "field \"id\" must not be empty");
        assertProblems("{\"id\": \"  \"}", "field \"id\" must not be empty");
    }

    @Test
    void bodyAndBodyBase64AreMutuallyExclusive() {
        assertProblems("{\"id\": \"r\", \"body\": \"hi\", \"bodyBase64\": \"aGk=\"}",
                "fields \"body\" and \"bodyBase64\" are mutually exclusive; give the bytes as text or as "
                        + "base64, not both");
    }

    @Test
    void bodyBase64MustBeValidBase64() throws Exception {
        assertProblems("{\"id\": \"r\", \"bodyBase64\": \"not base64!\"}",
                "field \"bodyBase64\" is not valid base64");
        assertThat(EventJson.requestEventFromJson(json("{\"id\": \"r\", \"bodyBase64\": \"aGk=\"}"))
                .getBody()).isEqualTo(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDeadlineThatIsNeitherAnInstantNorMillisecondsIsRefused() {
        assertProblems("{\"id\": \"r\", \"deadline\": \"tomorrow\"}",
                "field \"deadline\" must be an ISO-8601 instant such as \"2026-11-21T10:15:30.123Z\" "
                        + "or epoch milliseconds, got \"tomorrow\"");
        assertProblems("{\"id\": \"r\", \"deadline\": \"2026-11-21\"}",
                "field \"deadline\" must be an ISO-8601 instant such as \"2026-11-21T10:15:30.123Z\" "
                        + "or epoch milliseconds, got \"2026-11-21\"");
    }

    @Test
    void everyProblemOfOneLineIsReportedTogether() {
        assertThatThrownBy(() -> EventJson.requestEventFromJson(
                json("{\"methd\": 1, \"maxAttempts\": \"three\", \"bodyBase64\": \"%%\"}")))
                .isInstanceOfSatisfying(EventJsonException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "unknown field \"methd\" (did you mean \"method\"?)",
                                "missing required field \"id\"",
                                "field \"bodyBase64\" is not valid base64",
                                "field \"maxAttempts\" must be an integer, got \"three\""))
                .hasMessage("unknown field \"methd\" (did you mean \"method\"?); missing required field "
                        + "\"id\"; field \"bodyBase64\" is not valid base64; field \"maxAttempts\" must be "
                        + "an integer, got \"three\"");
    }

    @Test
    void problemsInANestedRecordNameTheirPath() {
        assertThatThrownBy(() -> EventJson.fromJson(json("""
                {"category": "RETRIES_EXHAUSTD", "errorMessage": "x", "failedAt": 0,
                  "sourceTopic": "t", "sourcePartition": 0, "sourceOffset": 0,
                  "request": {"id": "r", "metod": "GET"}}
                """), DeadLetterEvent.class))
                .isInstanceOfSatisfying(EventJsonException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "unknown field \"request.metod\" (did you mean \"request.method\"?)",
                                "field \"category\" must be one of INVALID_REQUEST, UNDECODABLE, "
                                        + "HTTP_CLIENT_ERROR, HTTP_SERVER_ERROR, HTTP_UNEXPECTED_STATUS, "
                                        + "RETRIES_EXHAUSTED, UNSAFE_TO_RETRY, EXPIRED, POLICY_REFUSED, UNKNOWN, INTERNAL_ERROR, "
                                        + "got \"RETRIES_EXHAUSTD\" (did you mean \"RETRIES_EXHAUSTED\"?)"));
    }

    @Test
    void aPrintedEventHasNoSideEffectOnItsBody() {
        RequestEvent request = Events.request();
        ByteBuffer body = request.getBody();
        int position = body.position();

        EventJson.toJson(request);

        assertThat(body.position()).isEqualTo(position);
        assertThat(request).isEqualTo(Events.request());
    }

    private static void assertProblems(String line, String... problems) {
        assertThatThrownBy(() -> EventJson.requestEventFromJson(json(line)))
                .isInstanceOfSatisfying(EventJsonException.class,
                        e -> assertThat(e.problems()).containsExactly(problems));
    }

    /** The JSON as a reader sees it once printed (a long 42 reads back as an int node). */
    private static JsonNode printed(ObjectNode json) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(json));
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
