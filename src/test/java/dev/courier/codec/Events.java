package dev.courier.codec;

import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.FailureCategory;
import dev.courier.avro.RequestEvent;
import dev.courier.avro.ResultEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sample events for tests. */
final class Events {
    static final Instant DEADLINE = Instant.parse("2026-11-21T10:15:30.123Z");

    private Events() {}

    static RequestEvent request() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Trace", "abc");
        return RequestEvent.newBuilder()
                .setId("r-1")
                .setMethod("POST")
                .setUrl("https://api.example.com/orders")
                .setHeaders(headers)
                .setBody(ByteBuffer.wrap("{\"n\":1}".getBytes(StandardCharsets.UTF_8)))
                .setContentType("application/json")
                .setTimeoutMs(1500L)
                .setMaxAttempts(3)
                .setDeadline(DEADLINE)
                .setCorrelationId("c-9")
                .setAttributes(Map.of("tenant", "t1"))
                .build();
    }

    static RequestEvent minimalRequest() {
        return RequestEvent.newBuilder().setId("r-2").build();
    }

    static ResultEvent result() {
        return ResultEvent.newBuilder()
                .setRequestId("r-1")
                .setStatusCode(201)
                .setHeaders(Map.of("Content-Type", "text/plain"))
                .setBody(ByteBuffer.wrap("created".getBytes(StandardCharsets.UTF_8)))
                .setAttempts(2)
                .setFirstAttemptAt(Instant.parse("2026-11-21T10:15:30Z"))
                .setLastAttemptAt(Instant.parse("2026-11-21T10:15:31.5Z"))
                .setLatencyMs(42L)
                .setTargetHost("api.example.com")
                .build();
    }

    static DeadLetterEvent deadLetter() {
        return DeadLetterEvent.newBuilder()
                .setRequestId("r-1")
                .setRequest(request())
                .setRawKey(ByteBuffer.wrap(new byte[] {'k', 1}))
                .setCategory(FailureCategory.RETRIES_EXHAUSTED)
                .setLastStatusCode(503)
                .setErrorMessage("503 Service Unavailable after 3 attempts")
                .setAttempts(3)
                .setFirstAttemptAt(Instant.parse("2026-11-21T10:15:30Z"))
                .setLastAttemptAt(Instant.parse("2026-11-21T10:15:40Z"))
                .setFailedAt(Instant.parse("2026-11-21T10:15:41Z"))
                .setSourceTopic("requests")
                .setSourcePartition(2)
                .setSourceOffset(1234L)
                .build();
    }
}
