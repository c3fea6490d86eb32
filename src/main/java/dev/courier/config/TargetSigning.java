package dev.courier.config;

import java.util.Base64;
import java.util.Objects;

/**
 * How a named target's calls are signed, {@code courier.targets.NAME.signing=standard-webhooks}: the Standard
 * Webhooks scheme (HMAC-SHA256) with a secret in its {@code whsec_} form, and while a secret is being rotated the one
 * it replaces. Immutable; {@link #toString()} hides both secrets.
 *
 * @param secret         the signing secret, {@code whsec_} and the base64 of its key
 * @param previousSecret the secret being replaced, or null when none is
 */
public record TargetSigning(Secret secret, Secret previousSecret) {

    /** How a signing secret is written: this prefix, then the base64 of the key. */
    public static final String SECRET_PREFIX = "whsec_";
    /** The shortest key accepted, in bytes (192 bits), as the Standard Webhooks specification asks. */
    public static final int MIN_KEY_BYTES = 24;
    /** The longest key accepted, in bytes (512 bits). */
    public static final int MAX_KEY_BYTES = 64;

    /** The signing schemes of {@code courier.targets.NAME.signing}. */
    public enum Scheme {
        /** Standard Webhooks 1.0, symmetric: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
        STANDARD_WEBHOOKS
    }

    /** Checks the secrets that are read already; one left to be read at its first use is checked then. */
    public TargetSigning {
        Objects.requireNonNull(secret, "secret");
        if (secret.isRead()) {
            key(secret);
        }
        if (previousSecret != null && previousSecret.isRead()) {
            key(previousSecret);
        }
    }

    /** The HMAC key of the current secret. */
    public byte[] key() {
        return key(secret);
    }

    /** The HMAC key of the previous secret, or null when none is set. */
    public byte[] previousKey() {
        return previousSecret == null ? null : key(previousSecret);
    }

    /**
     * The HMAC key a secret holds: the bytes of the base64 after {@value #SECRET_PREFIX}.
     *
     * @throws IllegalArgumentException saying what is wrong with the secret, without showing it
     */
    public static byte[] key(Secret secret) {
        String value = secret.value();
        if (!value.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("must be a Standard Webhooks secret: " + SECRET_PREFIX
                    + " followed by the base64 of " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " random bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be " + SECRET_PREFIX + " followed by base64, which the rest is not");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("holds a key of " + key.length + " bytes; a Standard Webhooks key has "
                    + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES);
        }
        return key;
    }

    @Override
    public String toString() {
        return "standard-webhooks " + secret + (previousSecret == null ? "" : " (previous " + previousSecret + ")");
    }
}
