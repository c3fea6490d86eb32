package dev.courier.publish;

import dev.courier.model.Bytes;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import java.util.Map;

/** The parts of an outcome each {@link Reduction} keeps. Stateless. */
final class Reductions {

    private Reductions() {
    }

    /** The result in {@code reduction}: without its body (marked truncated), then without its headers. */
    static Outcome.Result result(Outcome.Result result, Reduction reduction) {
        if (reduction == Reduction.WHOLE) {
            return result;
        }
        Map<String, String> headers = reduction.dropsAtLeast(Reduction.WITHOUT_HEADERS_AND_ATTRIBUTES)
                ? Map.of() : result.headers();
        boolean truncated = result.bodyTruncated() || result.body().length() > 0;
        return new Outcome.Result(result.status(), headers, Bytes.empty(), truncated, result.latency(),
                result.attempts());
    }

    /**
     * The request in {@code reduction}, as a result echoes it or a dead letter keeps it: without its body, then
     * without its headers and attributes; at {@link Reduction#MINIMAL}, only its id and correlation id, cut.
     */
    static RequestSpec request(RequestSpec request, Reduction reduction) {
        if (request == null || reduction == Reduction.WHOLE) {
            return request;
        }
        if (reduction == Reduction.MINIMAL) {
            return new RequestSpec(cut(request.id()), null, null, null, null, Map.of(), null, null, null, null, null,
                    null, cut(request.correlationId()), null, Map.of());
        }
        RequestSpec kept = request.withoutBody();
        return reduction.dropsAtLeast(Reduction.WITHOUT_HEADERS_AND_ATTRIBUTES)
                ? kept.withoutHeadersAndAttributes() : kept;
    }

    /** {@code text} cut to {@link OutcomeRecords#MINIMAL_TEXT} characters, marked when cut; null stays null. */
    static String cut(String text) {
        if (text == null || text.length() <= OutcomeRecords.MINIMAL_TEXT) {
            return text;
        }
        return text.substring(0, OutcomeRecords.MINIMAL_TEXT) + "...[" + (text.length() - OutcomeRecords.MINIMAL_TEXT)
                + " more characters]";
    }
}
