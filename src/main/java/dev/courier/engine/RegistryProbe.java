package dev.courier.engine;

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

/**
 * Whether the schema registry answers within {@code courier.schema-registry.timeout}, for the ready probe: every
 * {@link Probing#EVERY} a background thread ({@code courier-registry-probe}) asks for the latest schema of the
 * results topic's subject, which Courier itself uses. Any answer but a server error or a refusal of the credentials counts
 * as reachable. The probe's result is read at once; one older than two rounds counts as no answer.
 */
final class RegistryProbe implements Health.Check, AutoCloseable {

    private final HttpClient client;
    private final HttpRequest request;
    private final Duration timeout;
    private final Probing probing;

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
        this.probing = new Probing("the schema registry", "courier-registry-probe", timeout, this::probe);
    }

    /** Starts probing the registry of {@code settings} for {@code subject}, the first time at once. */
    static RegistryProbe start(RegistrySettings settings, String subject) {
        return new RegistryProbe(settings, subject);
    }

    private Health.Status probe() {
        try {
            int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (code == 401 || code == 403) {
                return Health.Status.down("the schema registry refused Courier's credentials (HTTP " + code + ")");
            }
            if (code >= 500) {
                return Health.Status.down("the schema registry answered HTTP " + code);
            }
            return Health.Status.up();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return Health.Status.down("the schema registry did not answer within " + timeout.toMillis() + " ms ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public Health.Status check() {
        return probing.check();
    }

    @Override
    public void close() {
        probing.close();
    }
}
