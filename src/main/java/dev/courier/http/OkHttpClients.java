package dev.courier.http;

import dev.courier.config.HttpSettings;
import dev.courier.config.TargetSettings;
import java.net.Proxy;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Builds Courier's OkHttp clients from its settings: one base client that owns the connection pool and dispatcher,
 * and its variants (made with {@code newBuilder()}, so they share both): the client of free URLs, whose {@code Dns}
 * and network interceptor hold the address policy, and one client per named target with its own TLS material and
 * connect timeout. Connections are pooled per address and {@code Dns}, so a connection made for a target is never
 * reused for a free URL.
 */
final class OkHttpClients {

    private OkHttpClients() {
    }

    /**
     * @param concurrency the most calls Courier makes at once (its worker count); sizes the idle pool
     * @param dns         resolves host names
     */
    static OkHttpClient build(HttpSettings settings, int concurrency, Dns dns) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        // execute() ignores the dispatcher's limits; they would bound enqueue(), which Courier does not use.
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(Math.max(1, Math.min(settings.perHostConcurrency(), concurrency)));
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(concurrency, settings.keepAlive().toMillis(), TimeUnit.MILLISECONDS))
                .dns(dns)
                // Straight to the target: a proxy would resolve names where the address policy cannot see them.
                // Both: NO_PROXY keeps OkHttp's own proxy selection out, the socket factory the JVM's SOCKS proxy.
                .proxy(Proxy.NO_PROXY)
                .socketFactory(DirectSockets.INSTANCE)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.writeTimeout())
                // Each call sets its own whole-attempt timeout; this default covers any other use.
                .callTimeout(settings.callTimeout())
                // Courier's retry policy decides what to repeat; OkHttp must not repeat a request silently.
                .retryOnConnectionFailure(false)
                // Courier follows redirects itself, checking each hop (see Redirects).
                .followRedirects(false)
                .followSslRedirects(false)
                .eventListenerFactory(AttemptTrace.FACTORY)
                .build();
    }

    /** The client of free URLs: names resolved through {@code dns} (a {@link PolicyDns}), the address checked. */
    static OkHttpClient forFreeUrls(OkHttpClient base, PolicyDns dns, ConnectedAddressCheck check) {
        return base.newBuilder().dns(dns).addNetworkInterceptor(check).build();
    }

    /**
     * The client of a named target: its TLS material and connect timeout, no address policy.
     *
     * @throws IllegalArgumentException naming the target's key whose file cannot be used
     */
    static OkHttpClient forTarget(OkHttpClient base, Dns dns, TargetSettings target) {
        OkHttpClient.Builder builder = base.newBuilder().dns(dns);
        if (target.connectTimeout() != null) {
            builder.connectTimeout(target.connectTimeout());
        }
        TargetTls.configure(builder, target);
        return builder.build();
    }

    /**
     * {@code target}'s client with the interceptors of its credentials, outermost first: the token (which may repeat
     * a request after a 401), then the signature (so a repeat is signed afresh). The same client when it has neither.
     *
     * @param tokens the token interceptor, or null
     * @param signer the signature interceptor, or null
     */
    static OkHttpClient withCredentials(OkHttpClient target, BearerTokens tokens, WebhookSigner signer) {
        if (tokens == null && signer == null) {
            return target;
        }
        OkHttpClient.Builder builder = target.newBuilder();
        if (tokens != null) {
            builder.addInterceptor(tokens);
        }
        if (signer != null) {
            builder.addInterceptor(signer);
        }
        return builder.build();
    }
}
