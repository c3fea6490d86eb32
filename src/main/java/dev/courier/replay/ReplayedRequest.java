package dev.courier.replay;

import dev.courier.model.Redactor;
import dev.courier.model.RequestSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request a replay publishes for a dead letter: the event as the dead letter kept it (same id, same
 * idempotencyKey), without the headers whose values were redacted at rest. A named target adds its own credentials
 * again when the event is called; a free URL's credential headers cannot be restored.
 */
final class ReplayedRequest {

    static final String REDACTED = Redactor.REDACTED;

    private ReplayedRequest() {
    }

    static RequestSpec of(RequestSpec kept) {
        Map<String, String> headers = new LinkedHashMap<>();
        kept.headers().forEach((name, value) -> {
            if (!REDACTED.equals(value)) {
                headers.put(name, value);
            }
        });
        return new RequestSpec(kept.id(), kept.method(), kept.url(), kept.target(), kept.path(), headers, kept.body(),
                kept.contentType(), kept.timeoutMs(), kept.maxAttempts(), kept.deadline(), kept.idempotencyKey(),
                kept.correlationId(), kept.rateLimitKey(), kept.attributes());
    }
}
