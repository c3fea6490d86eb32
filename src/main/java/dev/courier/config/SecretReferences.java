package dev.courier.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets by reference: {@code ${env:VAR}} reads environment variable VAR, {@code ${file:/path}} reads a file
 * (trailing line breaks and spaces removed), both once: when the settings are loaded, or, when they are loaded for a
 * command that uses no secret, at the secret's first use ({@link Secret#value()}). Either way a reference's form is
 * checked at load. Messages never hold a secret's value. Thread-safe.
 */
final class SecretReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    /** Larger files are refused: a secret is a token, not a document. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final Map<String, String> environment;
    private final boolean read;

    /**
     * @param environment the process environment as the settings' sources see it
     * @param read        whether secrets are read at load; else each is read at its first use
     */
    SecretReferences(Map<String, String> environment, boolean read) {
        this.environment = environment;
        this.read = read;
    }

    /** Whether secrets are read at load (so what depends on their value can be checked then). */
    boolean readsAtLoad() {
        return read;
    }

    /**
     * The secret {@code reference} refers to: read now, or (when secrets are not read at load) at its first use,
     * when a failure to read it is a {@link SettingsException} that starts with {@code key}.
     *
     * @throws IllegalArgumentException when it is not a reference, or (read now) cannot be read
     */
    Secret resolve(String key, String reference) {
        if (read) {
            return resolve(reference);
        }
        if (!isReference(reference)) {
            resolve(reference); // throws, saying what a reference looks like
        }
        return Secret.deferred(reference.trim(), () -> {
            try {
                return resolve(reference).value();
            } catch (IllegalArgumentException e) {
                throw Secret.unreadable(key + " " + e.getMessage());
            }
        });
    }

    static boolean isReference(String text) {
        return REFERENCE.matcher(text.trim()).matches();
    }

    /**
     * @throws IllegalArgumentException saying why the reference cannot be resolved (without the secret)
     */
    Secret resolve(String reference) {
        Matcher matcher = REFERENCE.matcher(reference.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a reference such as ${env:PAYMENTS_TOKEN} or"
                    + " ${file:/run/secrets/payments-token}, not the secret itself");
        }
        String where = matcher.group(2).trim();
        String value = matcher.group(1).equals("env") ? fromEnvironment(where) : fromFile(where);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("refers to " + describe(matcher.group(1), where) + ", which is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("refers to " + describe(matcher.group(1), where)
                        + ", which holds characters outside printable ASCII (not allowed in a header)");
            }
        }
        return new Secret(value);
    }

    private String fromEnvironment(String variable) {
        String value = environment.get(variable);
        if (value == null) {
            throw new IllegalArgumentException("refers to environment variable " + variable + ", which is not set");
        }
        return value.strip();
    }

    private static String fromFile(String location) {
        Path path = Path.of(location);
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("refers to file " + path + ", which is over 64KiB");
            }
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("refers to file " + path + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String describe(String kind, String where) {
        return kind.equals("env") ? "environment variable " + where : "file " + where;
    }
}
