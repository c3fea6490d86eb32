package dev.courier.dispatch;

import dev.courier.config.Settings;
import dev.courier.config.SettingSources;
import dev.courier.config.SettingsLoader;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** Requests and settings for the dispatcher's tests. */
final class Requests {

    private Requests() {
    }

    /** A GET of {@code https://<host>/<id>} with no limits of its own; its rate-limit key is the host. */
    static DispatchRequest get(String id, String host) {
        return request(id, HttpMethod.GET, host, null, null, null, host);
    }

    static DispatchRequest request(String id, HttpMethod method, String host, Integer maxAttempts, Instant deadline,
            String idempotencyKey, String rateLimitKey) {
        return new DispatchRequest(id, method, URI.create("https://" + host + "/" + id), null, Map.of(), null, null,
                null, maxAttempts, deadline, idempotencyKey, null, rateLimitKey, Map.of());
    }

    /** A GET of named target {@code target}'s base URL {@code https://<host>/}, with the event's own rate-limit key. */
    static DispatchRequest toTarget(String id, String target, String host, String rateLimitKey) {
        return new DispatchRequest(id, HttpMethod.GET, URI.create("https://" + host + "/" + id), target, Map.of(), null,
                null, null, null, null, null, null, rateLimitKey, Map.of());
    }

    /** Courier's settings with {@code overrides} (alternating keys and values) applied, as a user would set them. */
    static Settings settings(String... overrides) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            map.put(overrides[i], overrides[i + 1]);
        }
        return SettingsLoader.load(SettingSources.none().withOverrides(map));
    }
}
