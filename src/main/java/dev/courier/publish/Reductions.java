package dev.courier.publish;

import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;

/** Smaller forms of an outcome, for the rare one that is over the broker's message size limit. */
final class Reductions {

    private Reductions() {
    }

    /** The result without its response body, marked truncated. */
    static Outcome.Result withoutBody(Outcome.Result result) {
        return new Outcome.Result(result.status(), result.headers(), Bytes.empty(), true, result.latency(),
                result.attempts());
    }

    /** The dead letter without the request body and raw value, saying so in its message. */
    static DeadLetterEntry withoutBodies(DeadLetterEntry entry) {
        RequestSpec request = entry.request();
        long dropped = (request == null || request.body() == null ? 0 : request.body().length())
                + (entry.rawValue() == null ? 0 : entry.rawValue().length());
        RequestSpec kept = request == null ? null : new RequestSpec(request.id(), request.method(), request.url(),
                request.target(), request.path(), request.headers(), null, request.contentType(), request.timeoutMs(),
                request.maxAttempts(), request.deadline(), request.idempotencyKey(), request.correlationId(),
                request.rateLimitKey(), request.attributes());
        Outcome.DeadLetter failure = entry.failure();
        Outcome.DeadLetter noted = new Outcome.DeadLetter(failure.category(), failure.lastStatus(),
                failure.message() + " (" + dropped + " bytes of body not kept: the dead letter was over the broker's"
                        + " size limit; the request is still at " + entry.source() + ")",
                failure.attempts());
        return new DeadLetterEntry(kept, entry.rawKey(), null, noted, entry.failedAt(),
                entry.source(), entry.replayCount());
    }
}
