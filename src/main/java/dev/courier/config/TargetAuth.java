package dev.courier.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * The static credential Courier adds to every call of a named target ({@code courier.targets.NAME.auth} and
 * {@code auth-secret}). A target with {@code auth=oauth2} has none of these: its tokens come from its
 * {@link TargetOAuth2} token endpoint. Its {@link #toString()} hides the secret.
 *
 * @param scheme     how the secret is sent
 * @param headerName the header that carries it: {@code Authorization} for bearer and basic
 * @param secret     the token, the {@code user:password} pair, or the header's value
 */
public record TargetAuth(Scheme scheme, String headerName, Secret secret) {

    /** How a target's secret is sent. */
    public enum Scheme {
        /** {@code Authorization: Bearer <secret>}. */
        BEARER,
        /** {@code Authorization: Basic <base64 of the secret>}; the secret is {@code user:password}. */
        BASIC,
        /** {@code <header>: <secret>}, as written in {@code auth=header:NAME}. */
        HEADER,
        /**
         * {@code Authorization: Bearer <token>} with a token from the target's token endpoint ({@link TargetOAuth2});
         * only a {@link Method}: it has no static secret, so no {@code TargetAuth}.
         */
        OAUTH2
    }

    /**
     * How the secret is sent, as {@code courier.targets.NAME.auth} says, before the secret is read.
     *
     * @param scheme     bearer, basic or a header of its own
     * @param headerName the header that carries the secret
     */
    public record Method(Scheme scheme, String headerName) {
    }

    public TargetAuth {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(headerName, "headerName");
        Objects.requireNonNull(secret, "secret");
        if (scheme == Scheme.OAUTH2) {
            throw new IllegalArgumentException("an oauth2 target's tokens come from its TargetOAuth2, not a secret");
        }
    }

    /** The header value sent: for example {@code Bearer abc}. */
    public String headerValue() {
        return switch (scheme) {
            case BEARER -> "Bearer " + secret.value();
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(secret.value().getBytes(StandardCharsets.UTF_8));
            case HEADER -> secret.value();
            case OAUTH2 -> throw new IllegalStateException("unreachable: the constructor refuses OAUTH2");
        };
    }

    @Override
    public String toString() {
        return scheme.name().toLowerCase(Locale.ROOT) + (scheme == Scheme.HEADER ? ":" + headerName : "") + " ****";
    }
}
