package dev.courier.dispatch;

import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.Objects;

/** What follows an attempt: another attempt after a delay, the event's outcome, or (no call made) a wait. */
sealed interface Decision {

    /** No call was made: the host was paused after the job passed its gate; it goes back to wait there. */
    Decision DEFERRED = new Deferred();

    /** See {@link #DEFERRED}. */
    record Deferred() implements Decision {
    }

    /** Make the next attempt once {@code delay} has passed. */
    record Retry(Duration delay) implements Decision {

        public Retry {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** The event is over; {@code outcome} is what to report. */
    record Done(Outcome outcome) implements Decision {

        public Done {
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
