package dev.courier.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value that must not reach logs or output: {@link #toString()} hides it. A secret that settings refer to
 * ({@code ${env:VAR}}, {@code ${file:PATH}}) is read when the settings are loaded for {@code courier run}; settings
 * loaded for a command that uses no secret leave it to be read at its first use ({@link #value()}), so a command that
 * never uses it starts without it. Thread-safe.
 */
public final class Secret {

    private final String reference;
    private final Supplier<String> read;
    private volatile String value;

    /** A secret whose value is known. */
    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
        this.reference = null;
        this.read = null;
    }

    private Secret(String reference, Supplier<String> read) {
        this.reference = reference;
        this.read = read;
    }

    /**
     * A secret read at its first use.
     *
     * @param reference the reference, for equality
     * @param read      reads it, or throws {@link SettingsException} naming the key and why it cannot be read
     */
    static Secret deferred(String reference, Supplier<String> read) {
        return new Secret(reference, read);
    }

    /**
     * The value; a secret that was left to be read is read now, once.
     *
     * @throws SettingsException when it cannot be read, naming the key and why (never the value)
     */
    public String value() {
        String known = value;
        if (known == null) {
            synchronized (this) {
                if (value == null) {
                    value = read.get();
                }
                known = value;
            }
        }
        return known;
    }

    /** Whether the value is known (read at load, or used since): {@link #value()} then cannot fail. */
    boolean isRead() {
        return value != null;
    }

    /** A reason for {@link SettingsException}, for {@link #deferred} readers. */
    static SettingsException unreadable(String problem) {
        return new SettingsException(List.of(problem));
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Secret secret)) {
            return false;
        }
        return reference != null || secret.reference != null ? Objects.equals(reference, secret.reference)
                : value.equals(secret.value);
    }

    @Override
    public int hashCode() {
        return reference != null ? reference.hashCode() : value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
