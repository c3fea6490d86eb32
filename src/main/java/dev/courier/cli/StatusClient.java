package dev.courier.cli;

import dev.courier.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks a running instance's admin server for a request's status, as {@code courier status} does. */
final class StatusClient {

    /** An answer: the HTTP status and the JSON body. */
    record Answer(int status, String body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI admin;
    private final String described;
    private final Secret token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** @param token the admin token, or null for none */
    StatusClient(URI admin, Secret token) {
        this(admin, admin.toString(), token);
    }

    /**
     * @param described the admin server as messages name it
     * @param token     the admin token, or null for none
     */
    StatusClient(URI admin, String described, Secret token) {
        this.admin = admin;
        this.described = described;
        this.token = token;
    }

    /**
     * {@code GET /requests/{id}}, waiting at most 5 s.
     *
     * @throws CommandFailedException when the admin server cannot be reached
     */
    Answer get(String id) throws InterruptedException {
        String base = admin.toString().endsWith("/") ? admin.toString() : admin + "/";
        URI uri = URI.create(base + "requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token.value());
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new CommandFailedException("cannot reach the admin server at " + described + ": " + reason(e), e);
        }
    }

    /**
     * What went wrong, in the first message along the causes: the HTTP client's {@code ConnectException} for a refused
     * connection has none of its own.
     */
    private static String reason(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
