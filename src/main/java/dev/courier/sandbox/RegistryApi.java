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
 * The REST subset of the Confluent Schema Registry that Courier and common Confluent clients (Confluent's Java
 * serializer, kafkajs' {@code @kafkajs/confluent-schema-registry}) use, over a {@link SchemaStore} and a
 * {@link CompatibilityConfig}: it routes a request by method and path and shapes the JSON answer. Errors are thrown
 * as {@link RegistryError}s carrying Confluent's status and error code.
 *
 * <pre>
 * POST   /subjects/{subject}/versions            {"schema": "...", "schemaType": "AVRO"} -> {"id": n}
 * POST   /subjects/{subject}                     {"schema": "..."} -> {"subject", "version", "id", "schema"}
 * GET    /schemas/ids/{id}                       -> {"schema": "..."}
 * GET    /schemas/ids/{id}/versions              -> [{"subject": "...", "version": n}, ...]
 * GET    /subjects                               -> ["subject", ...]
 * GET    /subjects/{subject}/versions            -> [1, 2, ...]
 * GET    /subjects/{subject}/versions/{version}  -> {"subject", "version", "id", "schema"}; "latest" or -1 is the latest
 * DELETE /subjects/{subject}[?permanent=true]    -> [1, 2, ...]
 * DELETE /subjects/{subject}/versions/{version}[?permanent=true] -> n
 * GET    /config                                 -> {"compatibilityLevel": "BACKWARD"}
 * PUT    /config                                 {"compatibility": "FULL"} -> {"compatibility": "FULL"}
 * GET    /config/{subject}[?defaultToGlobal=true] -> {"compatibilityLevel": "..."}
 * PUT    /config/{subject}                       {"compatibility": "..."} -> {"compatibility": "..."}
 * POST   /compatibility/subjects/{subject}/versions/{version}[?verbose=true] {"schema": "..."}
 *                                                -> {"is_compatible": true|false[, "messages": [...]]}
 * </pre>
 *
 * <p>Thread-safe: stateless apart from the thread-safe store and settings.
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
    private final CompatibilityConfig config;
    private final ObjectMapper json;

    RegistryApi(SchemaStore store, CompatibilityConfig config, ObjectMapper json) {
        this.store = store;
        this.config = config;
        this.json = json;
    }

    /**
     * Answers one request.
     *
     * @param path the decoded path segments, e.g. {@code ["subjects", "orders-value", "versions"]}
     * @param query the decoded query parameters, e.g. {@code permanent=true}
     * @param contentType the request's Content-Type header, or null
     * @throws RegistryError for every error answer
     */
    Reply answer(String method, List<String> path, Map<String, String> query, String contentType, byte[] body) {
        String first = path.get(0);
        if (first.equals("config") && path.size() <= 2) {
            return config(method, path.size() == 2 ? path.get(1) : null, query, contentType, body);
        }
        if (first.equals("compatibility") && path.size() == 5 && path.get(1).equals("subjects")
                && path.get(3).equals("versions")) {
            requireMethod(method, "POST");
            String subject = path.get(2);
            List<String> problems = store.problems(subject, versionOrLatest(path.get(4)),
                    schemaOf(contentType, body), config.effective(subject));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("is_compatible", problems.isEmpty());
            if (flag(query, "verbose")) {
                answer.put("messages", problems);
            }
            return ok(answer);
        }
        if (first.equals("schemas") && path.size() >= 3 && path.size() <= 4 && path.get(1).equals("ids")) {
            requireMethod(method, "GET");
            int id = parseId(path.get(2));
            if (path.size() == 4) {
                if (!path.get(3).equals("versions")) {
                    throw RegistryError.notFound();
                }
                return ok(store.versionsOf(id));
            }
            return ok(Map.of("schema", store.schema(id).orElseThrow(RegistryError::schemaNotFound)));
        }
        if (first.equals("subjects")) {
            return subjects(method, path, query, contentType, body);
        }
        throw RegistryError.notFound();
    }

    private Reply subjects(String method, List<String> path, Map<String, String> query, String contentType,
            byte[] body) {
        if (path.size() == 1) {
            requireMethod(method, "GET");
            return ok(store.subjects());
        }
        String subject = path.get(1);
        if (path.size() == 2) {
            if (method.equals("DELETE")) {
                return ok(store.deleteSubject(subject, flag(query, "permanent")));
            }
            requireMethod(method, "POST");
            return ok(describe(store.lookUp(subject, schemaOf(contentType, body))));
        }
        if (path.size() == 3 && path.get(2).equals("versions")) {
            if (method.equals("POST")) {
                return ok(Map.of("id", store.register(subject, schemaOf(contentType, body), config.effective(subject))));
            }
            requireMethod(method, "GET");
            return ok(store.versions(subject));
        }
        if (path.size() == 4 && path.get(2).equals("versions")) {
            Integer version = versionOrLatest(path.get(3));
            if (method.equals("DELETE")) {
                return ok(store.deleteVersion(subject, version, flag(query, "permanent")));
            }
            requireMethod(method, "GET");
            return ok(describe(version == null ? store.latest(subject) : store.version(subject, version)));
        }
        throw RegistryError.notFound();
    }

    private Reply config(String method, String subject, Map<String, String> query, String contentType, byte[] body) {
        if (method.equals("PUT")) {
            JsonNode compatibility = readObject(contentType, body).path("compatibility");
            Compatibility level = Compatibility.parse(compatibility.isTextual() ? compatibility.asText() : null);
            if (subject == null) {
                config.setGlobal(level);
            } else {
                config.setSubject(subject, level);
            }
            return ok(Map.of("compatibility", level.name()));
        }
        requireMethod(method, "GET");
        Compatibility level;
        if (subject == null) {
            level = config.global();
        } else if (flag(query, "defaultToGlobal")) {
            level = config.effective(subject);
        } else {
            level = config.subject(subject).orElseThrow(() -> RegistryError.subjectLevelConfigNotFound(subject));
        }
        return ok(Map.of("compatibilityLevel", level.name()));
    }

    private static Map<String, Object> describe(SchemaStore.SubjectVersion found) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", found.subject());
        answer.put("version", found.version());
        answer.put("id", found.id());
        answer.put("schema", found.schema());
        return answer;
    }

    /** The schema text of a request body {@code {"schema": ..., "schemaType": ..., "references": ...}}. */
    private String schemaOf(String contentType, byte[] body) {
        JsonNode request = readObject(contentType, body);
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
        return schema.isTextual() ? schema.asText() : null;
    }

    private JsonNode readObject(String contentType, byte[] body) {
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
        return request;
    }

    private static boolean flag(Map<String, String> query, String name) {
        return Boolean.parseBoolean(query.get(name));
    }

    /** A version number, or null for "latest" and -1. */
    private static Integer versionOrLatest(String version) {
        return version.equals("latest") || version.equals("-1") ? null : parseVersion(version);
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
