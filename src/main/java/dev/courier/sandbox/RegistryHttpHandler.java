package dev.courier.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the registry stand-in: checks basic auth, decodes the path, reads the body
 * (at most {@value #MAX_BODY_BYTES} bytes), asks {@link RegistryApi} and writes its answer or
 * error as {@code application/vnd.schemaregistry.v1+json}.
 *
 * <p>Thread-safe: called concurrently by the HTTP server's worker threads.
 */
final class RegistryHttpHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final RegistryApi api;
    private final Optional<RegistryStandIn.BasicAuth> basicAuth;
    private final ObjectMapper json;

    RegistryHttpHandler(RegistryApi api, Optional<RegistryStandIn.BasicAuth> basicAuth, ObjectMapper json) {
        this.api = api;
        this.basicAuth = basicAuth;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            RegistryApi.Reply reply;
            try {
                reply = answer(exchange);
            } catch (RegistryError e) {
                if (e.status() == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"courier-registry-stand-in\"");
                }
                reply = new RegistryApi.Reply(e.status(), Map.of("error_code", e.errorCode(), "message", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("The registry stand-in failed to answer {} {}", exchange.getRequestMethod(),
                        exchange.getRequestURI(), e);
                reply = new RegistryApi.Reply(500, Map.of("error_code", 50001, "message", "Error in the backend data store"));
            }
            byte[] body = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(reply.status(), body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    private RegistryApi.Reply answer(HttpExchange exchange) throws IOException {
        if (basicAuth.isPresent()
                && !basicAuth.get().admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
            throw RegistryError.unauthorized();
        }
        List<String> path = decodePath(exchange.getRequestURI().getRawPath());
        byte[] body = readBody(exchange.getRequestBody());
        return api.answer(exchange.getRequestMethod(), path, decodeQuery(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders().getFirst("Content-Type"), body);
    }

    /** The percent-decoded parameters of a raw query string; the first of repeated names wins. */
    static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw RegistryError.badRequest("Malformed query parameter: " + pair);
            }
        }
        return parameters;
    }

    /** Splits a raw path into percent-decoded segments; {@code +} stays a plus sign. */
    static List<String> decodePath(String rawPath) {
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : trimmed.split("/", -1)) {
            try {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw RegistryError.notFound();
            }
        }
        return segments;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw RegistryError.tooLarge(MAX_BODY_BYTES);
        }
        return body;
    }
}
