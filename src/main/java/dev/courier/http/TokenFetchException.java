package dev.courier.http;

import java.io.IOException;

/**
 * No access token could be had for a target's call: its token endpoint failed, did not answer in time, or failed
 * within the last second. Thrown from the call's interceptor; the attempt ends {@code NOT_SENT} (the target was not
 * called, or answered 401 to a token it has since been replaced), with this message, which names the token endpoint
 * and never holds a token or a secret.
 */
final class TokenFetchException extends IOException {

    private final TokenFetch result;

    TokenFetchException(String message, TokenFetch result) {
        super(message);
        this.result = result;
    }

    TokenFetch result() {
        return result;
    }

    /** The same failure as a new exception, for one of the threads that waited for the fetch. */
    TokenFetchException copy() {
        return new TokenFetchException(getMessage(), result);
    }
}
