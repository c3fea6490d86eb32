package dev.courier.http;

import dev.courier.config.HttpSettings;
import dev.courier.config.Secret;
import dev.courier.config.TargetSettings;
import dev.courier.model.DispatchRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * How calls to one named target are made: on a client of its own (its TLS material and connect timeout, and no
 * address policy: its base URL was written by the operator), with its headers and credential added: the static ones
 * here, an OAuth2 token ({@link BearerTokens}) and a signature ({@link WebhookSigner}) by its client's interceptors,
 * which a target without them does not have. Only URLs of the base URL's origin (scheme, host and port) get this; a
 * redirect elsewhere is a free URL. Thread-safe; {@link #close} ends the waits for its token.
 */
final class TargetRoute implements AutoCloseable {

    private final TargetSettings settings;
    private final HttpUrl base;
    private final OkHttpClient client;
    private final TokenSource tokens;

    private TargetRoute(TargetSettings settings, OkHttpClient client, TokenSource tokens) {
        this.settings = settings;
        this.base = HttpUrl.get(settings.baseUrl().toString());
        this.client = client;
        this.tokens = tokens;
    }

    /**
     * The route of {@code settings} on {@code client} (the target's own, {@link OkHttpClients#forTarget}), with its
     * token source and signer when it has them. Its token endpoint is asked on {@code client} too: the operator wrote
     * both URLs, and the token endpoint is reached as the target is (its TLS material, no proxy, no redirects), within
     * the target's call timeout.
     *
     * @param clock    stamps the signatures' webhook-timestamp
     * @param nanoTime measures token lifetimes
     */
    static TargetRoute create(TargetSettings settings, OkHttpClient client, HttpSettings http, Clock clock,
            LongSupplier nanoTime, TokenListener listener) {
        TokenSource tokens = null;
        if (settings.oauth2() != null) {
            tokens = new TokenSource(settings.name(), new TokenEndpoint(settings.name(), settings.oauth2()), client,
                    http.attemptTimeout(null, settings.callTimeout()), nanoTime, listener);
            listener.watch(settings.name(), tokens::age);
        }
        OkHttpClient withCredentials = OkHttpClients.withCredentials(client,
                tokens == null ? null : new BearerTokens(tokens),
                settings.signing() == null ? null : new WebhookSigner(settings.signing(), clock));
        return new TargetRoute(settings, withCredentials, tokens);
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

    /**
     * The target's headers and static credential, replacing any of the same name, and for a signed target the
     * webhook-id of {@code event}, which its signer reads.
     *
     * @throws IllegalArgumentException when the target signs and the event's webhook-id cannot be used
     */
    void addCredentials(Request.Builder request, DispatchRequest event) {
        for (Map.Entry<String, Secret> header : settings.headers().entrySet()) {
            request.header(header.getKey(), header.getValue().value());
        }
        if (settings.auth() != null) {
            request.header(settings.auth().headerName(), settings.auth().headerValue());
        }
        if (settings.signing() != null) {
            request.tag(WebhookSigner.WebhookId.class,
                    new WebhookSigner.WebhookId(WebhookSigner.webhookId(event, settings.name())));
        }
    }

    /** The names of the headers {@link #addCredentials} and the client's interceptors set, ignoring case. */
    Set<String> injectedHeaders() {
        return settings.injectedHeaders();
    }

    @Override
    public void close() {
        if (tokens != null) {
            tokens.close();
        }
    }
}
