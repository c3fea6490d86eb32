package dev.courier.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the schema registry.
 *
 * @param url          base URL of the registry
 * @param basicAuth    credentials for HTTP basic auth, or null for none
 * @param timeout      time allowed for one request
 * @param cacheSize    schemas and ids kept in memory
 * @param autoRegister whether Courier registers its own schemas on first use
 */
public record RegistrySettings(URI url, BasicAuth basicAuth, Duration timeout, int cacheSize, boolean autoRegister) {

    public RegistrySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
    }

    public Optional<BasicAuth> credentials() {
        return Optional.ofNullable(basicAuth);
    }

    /** A user name and password for HTTP basic auth. */
    public record BasicAuth(String username, Secret password) {

        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }
}
