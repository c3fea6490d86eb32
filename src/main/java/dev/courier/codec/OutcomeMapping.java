package dev.courier.codec;

import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.ResultEvent;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.Outcome;
import dev.courier.model.Redactor;
import dev.courier.model.RequestSpec;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Builds the generated outcome events from the model's values, with credentials redacted ({@link Redactor}): the
 * result's response headers, and the dead letter's request (headers, URL userinfo, listed query parameters) and error
 * message. What is kept is what replay needs; a redacted credential is not restored by replay.
 */
final class OutcomeMapping {

    private OutcomeMapping() {
    }

    static ResultEvent result(RequestSpec request, String targetHost, Outcome.Result result, Redactor redactor) {
        return ResultEvent.newBuilder()
                .setRequestId(request.id())
                .setCorrelationId(request.correlationId())
                .setStatusCode(result.status())
                .setHeaders(Map.copyOf(redactor.headers(result.headers())))
                .setBody(buffer(result.body()))
                .setBodyTruncated(result.bodyTruncated())
                .setAttempts(result.attempts().count())
                .setFirstAttemptAt(result.attempts().first())
                .setLastAttemptAt(result.attempts().last())
                .setLatencyMs(result.latency().toMillis())
                .setTargetHost(targetHost)
                .setAttributes(Map.copyOf(request.attributes()))
                .build();
    }

    static DeadLetterEvent deadLetter(DeadLetterEntry entry, Redactor redactor) {
        Outcome.DeadLetter failure = entry.failure();
        return DeadLetterEvent.newBuilder()
                .setRequestId(entry.requestId())
                .setRequest(entry.request() == null ? null : RequestMapping.toEvent(redactor.request(entry.request())))
                .setRawKey(buffer(entry.rawKey()))
                .setRawValue(buffer(entry.rawValue()))
                .setCategory(dev.courier.avro.FailureCategory.valueOf(failure.category().name()))
                .setLastStatusCode(failure.lastStatus())
                .setErrorMessage(redactor.text(failure.message()))
                .setAttempts(failure.attempts().count())
                .setFirstAttemptAt(failure.attempts().first())
                .setLastAttemptAt(failure.attempts().last())
                .setFailedAt(entry.failedAt())
                .setSourceTopic(entry.source().topic())
                .setSourcePartition(entry.source().partition())
                .setSourceOffset(entry.source().offset())
                .setReplayCount(entry.replayCount())
                .build();
    }

    private static ByteBuffer buffer(Bytes bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes.toByteArray());
    }
}
