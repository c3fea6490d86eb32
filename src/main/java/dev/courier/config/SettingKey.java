package dev.courier.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One documented setting: its key, the type and default users see in docs/configuration.md, and how its text is
 * parsed. The catalog of keys is {@link SettingKeys}.
 *
 * @param <T> the type of the parsed value
 */
public final class SettingKey<T> {

    private final String key;
    private final String type;
    private final String defaultText;
    private final String description;
    private final ValueParser<T> parser;

    SettingKey(String key, String type, String defaultText, String description, ValueParser<T> parser) {
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultText = defaultText;
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
    }

    /** The key as written in a properties file, e.g. {@code courier.topics.requests}. */
    public String key() {
        return key;
    }

    /** The type in words, e.g. "integer 1..10000", as listed in docs/configuration.md. */
    public String type() {
        return type;
    }

    /** The default as text, or null when the setting has none (it is then optional or required). */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Whether the value may be a secret, and so is never repeated in a message. */
    boolean isSecret() {
        return type.equals("secret") || type.equals("reference");
    }

    /** The environment variable that sets this key: {@code COURIER_} and the key upper-cased, {@code .} and {@code -} as {@code _}. */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    static String environmentVariable(String key) {
        return "COURIER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    T parse(String text) {
        return parser.parse(text);
    }

    @Override
    public String toString() {
        return key;
    }
}
