package dev.courier.cli;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryClient;
import dev.courier.config.RegistrySettings;

/** Builds the schema registry client and event codec from the settings. */
final class Registry {

    private Registry() {
    }

    static EventCodec codec(RegistrySettings settings) {
        SchemaRegistryClient.Builder client = SchemaRegistryClient.builder(settings.url())
                .requestTimeout(settings.timeout())
                .cacheSize(settings.cacheSize());
        settings.credentials().ifPresent(auth -> client.basicAuth(auth.username(), auth.password().value()));
        return EventCodec.create(client.build(), settings.autoRegister());
    }
}
