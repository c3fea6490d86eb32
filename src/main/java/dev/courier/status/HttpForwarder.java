package dev.courier.status;

import dev.courier.config.Secret;
import dev.courier.ops.AdminResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Forwards {@code GET /requests/{id}} to the instance that holds the id, with this instance's admin token (the
 * instances of a group share theirs), within {@link #TIMEOUT}. Thread-safe.
 */
final class HttpForwarder implements StatusEndpoint.Forwarder {

    /** The longest a forwarded call takes, connecting included. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Secret token;

    /** @param token the admin token to send, or null for none */
    HttpForwarder(Secret token) {
        this.token = token;
    }

    @Override
    public AdminResponse forward(String host, int port, String path) {
        URI uri;
        try {
            uri = new URI("http", null, host, port, path, null, null);
        } catch (URISyntaxException e) {
            return AdminResponse.error(502, "cannot address the instance " + host + ":" + port);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token.value());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("application/json");
            return new AdminResponse(response.statusCode(), type, response.body());
        } catch (IOException e) {
            return AdminResponse.error(502, "the instance " + host + ":" + port + " that holds this id did not answer: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdminResponse.error(503, "interrupted");
        }
    }
}
