package dev.courier.dispatch;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * What one attempt says about its host, read on the worker from the attempt's result and kept on the job (instead of
 * the result, whose body may be large) until the dispatch thread acts on it. The common answers share one instance
 * each; only one that asks for a pause is made anew.
 *
 * @param signal  what it means for the host's adaptive rate
 * @param pause   how long the host should get no call, uncapped; null for none
 * @param circuit what it means for the host's circuit
 */
record Feedback(Signal signal, Duration pause, Verdict circuit) {

    /** For the host's adaptive rate. */
    enum Signal {
        /** A success status: the key may speed up again. */
        SUCCESS,
        /** A 429 that does not say when to come back: the key slows down. */
        PUSHBACK,
        /** A 503 or a timeout: the host slows down on trial if many of its answers are such ({@link AdaptiveRate}). */
        STRAIN,
        /** Anything else, a 429 with a time to come back included (that pauses the host instead): no change. */
        NEUTRAL
    }

    /** For the host's circuit. */
    enum Verdict {
        /** The host answered (any status but a 5xx). */
        SUCCESS,
        /** A 5xx, a failure to connect, a timeout or a broken connection. */
        FAILURE,
        /** No call reached the network (refused by policy, invalid): the circuit does not count it. */
        IGNORED
    }

    static final int TOO_MANY_REQUESTS = 429;
    static final int SERVICE_UNAVAILABLE = 503;

    /** One shared instance of each answer that asks for no pause, by signal, then verdict. */
    private static final Feedback[][] SHARED = new Feedback[Signal.values().length][Verdict.values().length];

    static {
        for (Signal signal : Signal.values()) {
            for (Verdict verdict : Verdict.values()) {
                SHARED[signal.ordinal()][verdict.ordinal()] = new Feedback(signal, null, verdict);
            }
        }
    }

    /** The feedback of {@code signal}, {@code pause} and {@code verdict}: a shared one when there is no pause. */
    static Feedback of(Signal signal, Duration pause, Verdict verdict) {
        return pause == null ? SHARED[signal.ordinal()][verdict.ordinal()] : new Feedback(signal, pause, verdict);
    }

    /** The feedback of {@code result}, which ended at {@code now}; {@code success} tells the success statuses. */
    static Feedback of(AttemptResult result, Instant now, IntPredicate success) {
        if (result instanceof Response response) {
            int status = response.status();
            Duration pause = Pushback.pause(response, now);
            // a 429 that says when to come back pauses the host until then; one that does not cuts its rate
            Signal signal = status == TOO_MANY_REQUESTS ? (pause == null ? Signal.PUSHBACK : Signal.NEUTRAL)
                    : status == SERVICE_UNAVAILABLE ? Signal.STRAIN : success.test(status) ? Signal.SUCCESS
                    : Signal.NEUTRAL;
            Verdict verdict = status >= 500 && status <= 599 ? Verdict.FAILURE : Verdict.SUCCESS;
            return of(signal, pause, verdict);
        }
        Failure failure = (Failure) result;
        return switch (failure.kind()) {
            case NOT_SENT, MAYBE_DELIVERED -> of(failure.timedOut() ? Signal.STRAIN : Signal.NEUTRAL, null,
                    Verdict.FAILURE);
            case INVALID, REFUSED_BY_POLICY -> of(Signal.NEUTRAL, null, Verdict.IGNORED);
        };
    }
}
