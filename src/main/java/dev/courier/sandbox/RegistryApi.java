package dev.courier.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The REST subset of the Confluent Schema Registry that Courier uses, over a {@link SchemaStore}:
 * it routes a request by method and path and shapes the JSON answer. Errors are thrown as
 * {@link RegistryError}s carrying Confluent's status and error code.
 *
 * <pre>
 * POST /subjects/{subject}/versions            {"schema": "...", "schemaType": "AVRO"} -> {"id": n}
 * GET  /schemas/ids/{id}                       -> {"schema": "..."}
 * GET  /subjects                               -> ["subject", ...]
 * GET  /subjects/{subject}/versions            -> [1, 2, ...]
 * GET  /subjects/{subject}/versions/{version}  -> {"subject", "version", "id", "schema"}; "latest" or -1 is the latest
 * </pre>
 *
 * <p>Thread-safe: stateless apart from the thread-safe store.
 */
final class RegistryApi {

    /** A successful answer: status and a value Jackson writes as the JSON body. */
    record Reply(int status, Object body) {}

    /** The request media types Confluent accepts; a request without a Content-Type is accepted too. */
    static final Set<String> ACCEPTED_MEDIA_TYPES = Set.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream");

    private final SchemaStore store;
    private final ObjectMapper json;

    RegistryApi(SchemaStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /**
     * Answers one request.
     *
     * @param path the decoded path segments, e.g. {@code ["subjects", "orders-value", "versions"]}
     * @param contentType the request's Content-Type header, or null
     * @throws RegistryError for every error answer
     */
    Reply answer(String method, List<String> path, String contentType, byte[] body) {
        if (path.size() == 1 && path.get(0).equals("subjects")) {
            requireMethod(method, "GET");
            return ok(store.subjects());
        }
        if (path.size() == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids")) {
            requireMethod(method, "GET");
            return ok(Map.of("schema", store.schema(parseId(path.get(2))).orElseThrow(RegistryError::schemaNotFound)));
        }
        if (path.size() == 3 && path.get(0).equals("subjects") && path.get(2).equals("versions")) {
            String subject = path.get(1);
            if (method.equals("POST")) {
                return ok(Map.of("id", register(subject, contentType, body)));
            }
            requireMethod(method, "GET");
            return ok(store.versions(subject));
        }
        if (path.size() == 4 && path.get(0).equals("subjects") && path.get(2).equals("versions")) {
            requireMethod(method, "GET");
            String version = path.get(3);
            SchemaStore.SubjectVersion found = version.equals("latest") || version.equals("-1")
                    ? store.latest(path.get(1))
                    : store.version(path.get(1), parseVersion(version));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("subject", found.subject());
            answer.put("version", found.version());
            answer.put("id", found.id());
            answer.put("schema", found.schema());
            return ok(answer);
        }
        throw RegistryError.notFound();
    }

    private int register(String subject, String contentType, byte[] body) {
        if (contentType != null && !ACCEPTED_MEDIA_TYPES.contains(mediaType(contentType))) {
            throw RegistryError.unsupportedMediaType();
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw RegistryError.badRequest("Invalid JSON in the request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the body is already in memory
        }
        if (request == null || !request.isObject()) {
            throw RegistryError.badRequest("The request body must be a JSON object");
        }
        JsonNode schemaType = request.path("schemaType");
        if (!schemaType.isMissingNode() && !schemaType.isNull() && !schemaType.asText().equals("AVRO")) {
            throw RegistryError.invalidSchema("schemaType " + schemaType.asText()
                    + " is not supported; the registry stand-in knows AVRO only");
        }
        JsonNode references = request.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw RegistryError.invalidSchema("schema references are not supported by the registry stand-in");
        }
        JsonNode schema = request.path("schema");
        return store.register(subject, schema.isTextual() ? schema.asText() : null);
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw RegistryError.methodNotAllowed();
        }
    }

    private static int parseId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound();
        }
    }

    private static int parseVersion(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RegistryError.invalidVersion(version);
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        String type = parameters < 0 ? contentType : contentType.substring(0, parameters);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private static Reply ok(Object body) {
        return new Reply(200, body);
    }
}
