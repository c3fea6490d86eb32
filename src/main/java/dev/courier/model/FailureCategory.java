package dev.courier.model;

/** Why a request event ended as a dead letter; the same symbols as the Avro enum of the same name. */
public enum FailureCategory {
    /** The event decoded but cannot be dispatched: bad method, URL, header, unknown target, body too large. */
    INVALID_REQUEST,
    /** The record is not a request event: a tombstone, bad framing, an unknown schema id, corrupt Avro. */
    UNDECODABLE,
    /** The target answered with a final 4xx status. */
    HTTP_CLIENT_ERROR,
    /** The target answered with a final 5xx status (one not configured as retriable). */
    HTTP_SERVER_ERROR,
    /** The target answered with a status that is neither success nor an error, such as a 3xx. */
    HTTP_UNEXPECTED_STATUS,
    /** Every allowed attempt failed in a retriable way. */
    RETRIES_EXHAUSTED,
    /** A non-idempotent request may have reached the server and carries no idempotency key, so it was not repeated. */
    UNSAFE_TO_RETRY,
    /** The event's deadline passed before it could succeed. */
    EXPIRED,
    /** Courier's egress policy refused the destination. */
    POLICY_REFUSED,
    /**
     * Courier failed while processing the event (a defect, not the event's fault); the message says how. A replay
     * after the fix processes it again.
     */
    INTERNAL_ERROR
}
