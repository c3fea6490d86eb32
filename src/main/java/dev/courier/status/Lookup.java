package dev.courier.status;

/** What the view knows of an id, on this instance. */
sealed interface Lookup {

    /** This instance holds the id, and this is its status. */
    record Found(RequestStatus status) implements Lookup {
    }

    /** This instance would hold the id, and holds nothing for it. */
    record Absent() implements Lookup {
    }

    /** Another instance holds the id; its admin server is at {@code host:port}. */
    record Elsewhere(String host, int port) implements Lookup {
    }

    /** No instance can answer now (the view is starting or rebalancing), for {@code reason}. */
    record Unavailable(String reason) implements Lookup {
    }
}
