package dev.courier.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.avro.Schema;

/**
 * Subjects, versions and globally numbered Avro schemas, with Confluent's registration rules:
 * a schema's id is shared by every subject that registers it (schemas are compared by their
 * parsed form, {@link Schema#toString()}); registering a schema a subject already has returns
 * its id without a new version; a new version must be BACKWARD compatible with the subject's
 * latest one (it can read data written with that one).
 *
 * <p>Ids and versions start at 1. Nothing is ever deleted, and nothing bounds the store's size
 * but what clients register: it is meant for development and tests.
 *
 * <p>Thread-safe: every method is atomic.
 */
final class SchemaStore {

    /** One version of a subject. {@code schema} is the schema's canonical JSON text. */
    record SubjectVersion(String subject, int version, int id, String schema) {}

    private final List<String> schemasById = new ArrayList<>(); // id n at index n - 1
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new TreeMap<>(); // version n at index n - 1

    /**
     * Registers {@code schemaText} under {@code subject} and returns its global id.
     *
     * @throws RegistryError 42201 if the text is not a valid Avro schema, 409 if the schema is new
     *     to the subject and not BACKWARD compatible with the subject's latest version
     */
    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
        Integer knownId = idsBySchema.get(canonical);
        if (knownId != null && versions.contains(knownId)) {
            return knownId;
        }
        if (!versions.isEmpty()) {
            int latestVersion = versions.size();
            Schema latest = parse(schemasById.get(versions.get(latestVersion - 1) - 1));
            BackwardCompatibility.require(subject, schema, latest, latestVersion);
        }
        int id = knownId != null ? knownId : newId(canonical);
        idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    /** The canonical text of schema {@code id}, if there is one. */
    synchronized Optional<String> schema(int id) {
        return id >= 1 && id <= schemasById.size() ? Optional.of(schemasById.get(id - 1)) : Optional.empty();
    }

    /** @throws RegistryError 40401 if the subject is unknown */
    synchronized SubjectVersion latest(String subject) {
        List<Integer> versions = versionsOf(subject);
        return describe(subject, versions, versions.size());
    }

    /** @throws RegistryError 40401 if the subject is unknown, 40402 if the version is */
    synchronized SubjectVersion version(String subject, int version) {
        List<Integer> versions = versionsOf(subject);
        if (version < 1 || version > versions.size()) {
            throw RegistryError.versionNotFound(String.valueOf(version));
        }
        return describe(subject, versions, version);
    }

    /** Every subject, in alphabetical order. */
    synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    /**
     * The version numbers of {@code subject}, oldest first.
     *
     * @throws RegistryError 40401 if the subject is unknown
     */
    synchronized List<Integer> versions(String subject) {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int version = 1; version <= count; version++) {
            numbers.add(version);
        }
        return numbers;
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private SubjectVersion describe(String subject, List<Integer> versions, int version) {
        int id = versions.get(version - 1);
        return new SubjectVersion(subject, version, id, schemasById.get(id - 1));
    }

    private int newId(String canonical) {
        schemasById.add(canonical);
        int id = schemasById.size();
        idsBySchema.put(canonical, id);
        return id;
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.invalidSchema("the schema is empty");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) { // the parser's own exceptions are not all AvroRuntimeExceptions
            throw RegistryError.invalidSchema(String.valueOf(e.getMessage()));
        }
    }
}
