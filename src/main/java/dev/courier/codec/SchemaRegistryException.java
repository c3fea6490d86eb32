package dev.courier.codec;

import java.util.Objects;

/**
 * A schema registry call that failed. The message names the registry URL, the subject or
 * schema id concerned, and the HTTP status and Confluent {@code error_code}/{@code message}
 * when the registry answered.
 *
 * <p>Callers decide by {@link #kind()}: only {@link Kind#UNAVAILABLE} is transient (retry
 * later, never dead-letter a record because the registry is down). {@link Kind#NOT_FOUND} is
 * permanent for the subject or id asked about. {@link Kind#REFUSED} points at configuration
 * (credentials, URL, an incompatible schema) and will not heal by retrying the same call.
 */
public final class SchemaRegistryException extends Exception {

    /** What kind of failure, which decides whether retrying can help. */
    public enum Kind {
        /** The registry answered 404 with Confluent error code 40401, 40402 or 40403. */
        NOT_FOUND,
        /** Connection refused or reset, timeout, interrupted, 5xx, 408 or 429: retry later. */
        UNAVAILABLE,
        /**
         * Any other answer that is not a success: 401, 403, 409 (incompatible schema), 422, a 404
         * without a Confluent error code (wrong URL?), or a body that is not what the API promises.
         */
        REFUSED
    }

    private final Kind kind;
    private final int httpStatus;
    private final int errorCode;

    /**
     * For every {@link SchemaRegistryClient}, this package's and others'.
     *
     * @param httpStatus the registry's HTTP status, or 0 when there was no answer
     * @param errorCode  Confluent's {@code error_code}, or 0 when the answer had none
     */
    public SchemaRegistryException(Kind kind, String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the same call may succeed later: the registry is unreachable or overloaded. */
    public boolean isTransient() {
        return kind == Kind.UNAVAILABLE;
    }

    /** The HTTP status of the registry's answer, or 0 when none was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code} from the answer (e.g. 40403), or 0 when absent. */
    public int errorCode() {
        return errorCode;
    }
}
