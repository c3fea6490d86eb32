package dev.courier.http;

import dev.courier.config.Secret;
import dev.courier.config.TargetSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * How calls to one named target are made: on a client of its own (its TLS material and connect timeout, and no
 * address policy: its base URL was written by the operator), with its headers and credential added. Only URLs of the
 * base URL's origin (scheme, host and port) get this; a redirect elsewhere is a free URL. Immutable and thread-safe.
 */
final class TargetRoute {

    private final TargetSettings settings;
    private final HttpUrl base;
    private final OkHttpClient client;

    TargetRoute(TargetSettings settings, OkHttpClient client) {
        this.settings = settings;
        this.base = HttpUrl.get(settings.baseUrl().toString());
        this.client = client;
    }

    /** Whether {@code url} has the base URL's scheme, host and port: a URL the operator vouches for. */
    boolean covers(HttpUrl url) {
        return url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port();
    }

    /**
     * Why {@code url}, an event's URL of this target's origin, may not be called, or null when it may: after
     * OkHttp's normalisation (which resolves dot segments) its path must still be under the base URL's path, or the
     * target's credentials would go to a path the operator did not name.
     */
    String outsideBasePath(HttpUrl url) {
        String basePath = base.encodedPath();
        String path = url.encodedPath();
        boolean under = basePath.endsWith("/") ? path.startsWith(basePath) || path.equals(basePath.substring(0,
                basePath.length() - 1)) : path.equals(basePath) || path.startsWith(basePath + "/");
        // neither path is shown: the base URL's path may hold a secret (a webhook's token)
        return under ? null : "the URL's path, normalised, is outside target " + settings.name() + "'s base path";
    }

    OkHttpClient client() {
        return client;
    }

    /** The attempt timeout when the event sets none, or null for {@code courier.http.call-timeout}. */
    Duration callTimeout() {
        return settings.callTimeout();
    }

    /** The target's headers and credential, replacing any of the same name. */
    void addCredentials(Request.Builder request) {
        for (Map.Entry<String, Secret> header : settings.headers().entrySet()) {
            request.header(header.getKey(), header.getValue().value());
        }
        if (settings.auth() != null) {
            request.header(settings.auth().headerName(), settings.auth().headerValue());
        }
    }

    /** The names of the headers {@link #addCredentials} sets, ignoring case. */
    Set<String> injectedHeaders() {
        return settings.injectedHeaders();
    }
}
