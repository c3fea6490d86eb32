package dev.courier.http;

import dev.courier.config.HttpSettings;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Builds Courier's one {@link OkHttpClient} from its settings. Build it once and share it: it owns the
 * connection pool. A variant (another timeout, say) is {@code client.newBuilder()...build()}, which
 * shares the pool and dispatcher.
 */
final class OkHttpClients {

    private OkHttpClients() {
    }

    /**
     * @param concurrency the most calls Courier makes at once (its worker count); sizes the idle pool
     * @param dns         resolves host names; the seam for an egress policy that refuses private
     *                    addresses (it would throw {@link java.net.UnknownHostException} for them)
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
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.writeTimeout())
                // Each call sets its own whole-attempt timeout; this default covers any other use.
                .callTimeout(settings.callTimeout())
                // Courier's retry policy decides what to repeat; OkHttp must not repeat a request silently.
                .retryOnConnectionFailure(false)
                .followRedirects(settings.followRedirects())
                .followSslRedirects(settings.followRedirects())
                .eventListenerFactory(AttemptTrace.FACTORY)
                .build();
    }
}
