package dev.courier.http;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Hears about the access tokens of the named targets with {@code auth=oauth2}; metrics hang off it. Called on OkHttp's
 * threads and the caller's build thread; implementations must be thread-safe and return at once. Never given a token
 * or a secret.
 */
public interface TokenListener {

    /** Hears nothing. */
    TokenListener NONE = new TokenListener() {
    };

    /**
     * Once per OAuth2 target, when the caller is built: how to read the age of the token its calls use now (empty
     * while it has none).
     */
    default void watch(String target, Supplier<Optional<Duration>> tokenAge) {
    }

    /** A request to {@code target}'s token endpoint ended with {@code result}. */
    default void fetched(String target, TokenFetch result) {
    }
}
