package dev.courier.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * The credential Courier adds to every call of a named target ({@code courier.targets.NAME.auth} and
 * {@code auth-secret}). Its {@link #toString()} hides the secret.
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
        HEADER
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
    }

    /** The header value sent: for example {@code Bearer abc}. */
    public String headerValue() {
        return switch (scheme) {
            case BEARER -> "Bearer " + secret.value();
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(secret.value().getBytes(StandardCharsets.UTF_8));
            case HEADER -> secret.value();
        };
    }

    @Override
    public String toString() {
        return scheme.name().toLowerCase(Locale.ROOT) + (scheme == Scheme.HEADER ? ":" + headerName : "") + " ****";
    }
}
