package dev.courier.engine;

import dev.courier.config.Settings;
import dev.courier.config.TargetSettings;
import dev.courier.model.RequestLimits;
import dev.courier.model.RequestValidator;
import dev.courier.model.TargetDirectory;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** The request validator of the settings: their named targets and limits. Engine and produce check alike. */
public final class Validation {

    private Validation() {
    }

    public static RequestValidator validator(Settings settings) {
        TargetDirectory targets = new TargetDirectory() {
            @Override
            public Optional<URI> baseUrl(String name) {
                return settings.targetBaseUrl(name);
            }

            @Override
            public Set<String> injectedHeaders(String name) {
                return settings.target(name).map(TargetSettings::injectedHeaders).orElse(Set.of());
            }

            @Override
            public Set<String> allowedRoutingHeaders(String name) {
                return settings.target(name).map(TargetSettings::allowedRoutingHeaders).orElse(Set.of());
            }
        };
        return new RequestValidator(targets, new RequestLimits(settings.http().maxRequestBytes(),
                settings.http().maxRequestHeaders(), settings.http().maxHeaderBytes()));
    }
}
