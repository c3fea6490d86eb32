package dev.courier.status;

import dev.courier.model.RequestStatus;

/** What the view knows of an id, on this instance. */
sealed interface Lookup {

    /** This instance holds the id, and this is its status. */
    record Found(RequestStatus status) implements Lookup {
    }

    /** This instance holds the id's partition of the view, and nothing for the id (or nothing within the retention). */
    record Absent() implements Lookup {
    }

    /** Another instance holds the id; its admin server is at {@code host:port}. */
    record Elsewhere(String host, int port) implements Lookup {
    }

    /** No instance can answer now (the view is starting or rebalancing), for {@code reason}. */
    record Unavailable(String reason) implements Lookup {
    }
}
