package dev.courier.intake;

import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;

/** What a request record turned out to be. */
sealed interface Decoded {

    Origin origin();

    /** A valid request, to be dispatched. */
    record Dispatchable(Origin origin, DispatchRequest request) implements Decoded {
    }

    /** A record that cannot be dispatched; it becomes a dead letter at once. */
    record Rejected(Origin origin, Outcome.DeadLetter failure) implements Decoded {
    }
}
