package dev.courier.http;

import java.util.Locale;

/** How one request to a target's OAuth2 token endpoint ended: the {@code result} label of its metric. */
public enum TokenFetch {
    /** The endpoint gave an access token. */
    SUCCESS,
    /** The endpoint answered 4xx: it refused the client's credentials or request (invalid_client, ...). */
    REJECTED,
    /** The endpoint answered another status that is not 2xx (5xx, 3xx). */
    ERROR_STATUS,
    /** The endpoint answered 2xx without a usable token: not JSON, no access_token, not a Bearer token. */
    INVALID_RESPONSE,
    /** No answer: the name did not resolve, the connection or TLS handshake failed, or the fetch timed out. */
    UNREACHABLE;

    /** The label: lower case with underscores, e.g. {@code error_status}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
