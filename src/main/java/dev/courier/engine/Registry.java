package dev.courier.engine;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryClient;
import dev.courier.config.RegistrySettings;
import dev.courier.config.Settings;
import dev.courier.model.Redactor;

/** Builds the schema registry client and event codec from the settings. */
public final class Registry {

    private Registry() {
    }

    /** The codec of {@code settings}: its registry, and outcomes redacted with {@code courier.redact.query-params}. */
    public static EventCodec codec(Settings settings) {
        return codec(settings.registry(), new Redactor(settings.redactQueryParams()));
    }

    static EventCodec codec(RegistrySettings settings, Redactor redactor) {
        SchemaRegistryClient.Builder client = SchemaRegistryClient.builder(settings.url())
                .requestTimeout(settings.timeout())
                .cacheSize(settings.cacheSize());
        settings.credentials().ifPresent(auth -> client.basicAuth(auth.username(), auth.password().value()));
        return EventCodec.create(client.build(), settings.autoRegister(), redactor);
    }
}
