package dev.courier.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Confluent schema registry REST API over {@code java.net.http}. Uncached (see
 * {@link CachingSchemaRegistryClient}): {@link #register} and {@link #latest} are one request
 * each; {@link #schemaById} is one request, repeated while a registry follower may be behind
 * ({@link FollowerLagRetry}).
 *
 * <p>Each request, from connecting to the last byte of the answer, ends within the timeout; one
 * {@link #schemaById} within the timeout + 1 s. A request cut short fails as
 * {@link SchemaRegistryException.Kind#UNAVAILABLE}. Thread-safe.
 */
final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT = CONTENT_TYPE + ", application/json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final RegistryFailures failures;
    private final FollowerLagRetry followerLag;

    /**
     * @param authorization the value of the Authorization header, or null for none
     * @param timeout       the most one request may take, connecting included
     */
    HttpSchemaRegistryClient(URI baseUrl, String authorization, Duration timeout) {
        this(baseUrl, authorization, timeout, FollowerLagRetry.standard());
    }

    HttpSchemaRegistryClient(URI baseUrl, String authorization, Duration timeout, FollowerLagRetry followerLag) {
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        this.authorization = authorization;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.failures = new RegistryFailures(this.baseUrl);
        this.followerLag = followerLag;
    }

    @Override
    public int register(String subject, Schema schema) throws SchemaRegistryException {
        String doing = "registering a schema under subject \"" + subject + "\"";
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON string", e);
        }
        JsonNode answer = call(request("/subjects/" + pathSegment(subject) + "/versions")
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), doing, timeout.toNanos());
        return intField(answer, "id", doing);
    }

    @Override
    public Schema schemaById(int id) throws SchemaRegistryException {
        String doing = "fetching schema id " + id;
        FollowerLagRetry.Lookup lookup = followerLag.start(timeout);
        while (true) {
            try {
                return avroSchema(call(request("/schemas/ids/" + id).GET(), doing, lookup.requestLimitNanos()), doing);
            } catch (SchemaRegistryException e) {
                lookup.awaitRepeat(e);
            }
        }
    }

    @Override
    public SubjectVersion latest(String subject) throws SchemaRegistryException {
        String doing = "fetching the latest schema of subject \"" + subject + "\"";
        JsonNode answer = call(request("/subjects/" + pathSegment(subject) + "/versions/latest")
                .GET(), doing, timeout.toNanos());
        return new SubjectVersion(subject, intField(answer, "version", doing),
                intField(answer, "id", doing), avroSchema(answer, doing));
    }

    @Override
    public String toString() {
        return "schema registry " + baseUrl;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** One request, answered in full within {@code limitNanos} or cut short (UNAVAILABLE). */
    private JsonNode call(HttpRequest.Builder request, String doing, long limitNanos)
            throws SchemaRegistryException {
        Duration limit = Duration.ofNanos(limitNanos);
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request.timeout(limit).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = pending.get(limitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw failures.timedOut(limit, doing);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw failures.unreachable(io, limit, doing);
            }
            throw new IllegalStateException("the HTTP client failed while " + doing, e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw failures.interrupted(e, doing);
        }
        if (response.statusCode() / 100 != 2) {
            throw failures.errorAnswer(response.statusCode(), response.body(), doing);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw failures.badAnswer("a body that is not JSON", doing);
        }
    }

    private int intField(JsonNode answer, String name, String doing)
            throws SchemaRegistryException {
        JsonNode value = answer.get(name);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw failures.badAnswer("no integer \"" + name + "\"", doing);
        }
        return value.intValue();
    }

    private Schema avroSchema(JsonNode answer, String doing) throws SchemaRegistryException {
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.asText().equals("AVRO")) {
            throw failures.badAnswer("a " + type.asText() + " schema, not an Avro one", doing);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw failures.badAnswer("no string \"schema\"", doing);
        }
        try {
            return new Schema.Parser().parse(text.textValue());
        } catch (SchemaParseException e) {
            throw failures.badAnswer("a schema that is not valid Avro (" + e.getMessage() + ")", doing);
        }
    }

    /** Percent-encodes one path segment (URLEncoder encodes for forms: a space becomes '+'). */
    static String pathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
