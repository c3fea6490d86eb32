package dev.courier.model;

import java.util.Optional;

/** The HTTP methods a request event may use. */
public enum HttpMethod {
    GET(true, false),
    HEAD(true, false),
    POST(false, true),
    PUT(true, true),
    PATCH(false, true),
    DELETE(true, true),
    OPTIONS(true, true);

    private final boolean idempotent;
    private final boolean bodyAllowed;

    HttpMethod(boolean idempotent, boolean bodyAllowed) {
        this.idempotent = idempotent;
        this.bodyAllowed = bodyAllowed;
    }

    /**
     * Whether repeating the request has the same effect as sending it once (RFC 9110, section 9.2.2).
     * Non-idempotent requests are retried after a failure that may have reached the server only when
     * the event carries an idempotency key.
     */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** Whether a request with this method may carry a body. */
    public boolean isBodyAllowed() {
        return bodyAllowed;
    }

    /** The method named exactly {@code name} (methods are case-sensitive), if it is one of ours. */
    public static Optional<HttpMethod> parse(String name) {
        for (HttpMethod method : values()) {
            if (method.name().equals(name)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
