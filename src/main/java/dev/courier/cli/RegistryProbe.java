package dev.courier.cli;

import dev.courier.config.RegistrySettings;
import dev.courier.ops.Health;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the schema registry answers within {@code courier.schema-registry.timeout}, for the ready probe: every
 * {@link #EVERY} a background thread ({@code courier-registry-probe}) asks for the latest schema of the results
 * topic's subject, which Courier itself uses. Any answer but a server error or a refusal of the credentials counts
 * as reachable. The probe's result is read at once; one older than two rounds counts as no answer.
 */
final class RegistryProbe implements Health.Check, AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(5);

    private final HttpClient client;
    private final HttpRequest request;
    private final Duration timeout;
    private final LongSupplier nanoTime = System::nanoTime;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "courier-registry-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Health.Status last = Health.Status.down("the registry has not been asked yet");
    private volatile long lastAt;

    private RegistryProbe(RegistrySettings settings, String subject) {
        this.timeout = settings.timeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = settings.url().toString().replaceAll("/+$", "");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/subjects/"
                + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions/latest"))
                .timeout(timeout).header("Accept", "application/vnd.schemaregistry.v1+json").GET();
        settings.credentials().ifPresent(auth -> builder.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((auth.username() + ":" + auth.password().value()).getBytes(StandardCharsets.UTF_8))));
        this.request = builder.build();
        this.lastAt = nanoTime.getAsLong();
    }

    /** Starts probing the registry of {@code settings} for {@code subject}, the first time at once. */
    static RegistryProbe start(RegistrySettings settings, String subject) {
        RegistryProbe probe = new RegistryProbe(settings, subject);
        probe.timer.scheduleWithFixedDelay(probe::probe, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    private void probe() {
        Health.Status status;
        try {
            int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (code == 401 || code == 403) {
                status = Health.Status.down("the schema registry refused Courier's credentials (HTTP " + code + ")");
            } else if (code >= 500) {
                status = Health.Status.down("the schema registry answered HTTP " + code);
            } else {
                status = Health.Status.up();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.io.IOException | RuntimeException e) {
            status = Health.Status.down("the schema registry did not answer within " + timeout.toMillis() + " ms ("
                    + e.getClass().getSimpleName() + ")");
        }
        last = status;
        lastAt = nanoTime.getAsLong();
    }

    @Override
    public Health.Status check() {
        Duration age = Duration.ofNanos(nanoTime.getAsLong() - lastAt);
        if (age.compareTo(EVERY.multipliedBy(2).plus(timeout)) > 0) {
            return Health.Status.down("the schema registry has not answered for " + age.toSeconds() + " s");
        }
        return last;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
