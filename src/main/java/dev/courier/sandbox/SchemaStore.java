package dev.courier.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.avro.Schema;

/**
 * Subjects, versions and globally numbered Avro schemas, with Confluent's registration rules:
 * a schema's id is shared by every subject that registers it (schemas are compared by their
 * parsed form, {@link Schema#toString()}); registering a schema a subject already has returns
 * its id without a new version; a new version must be compatible with the subject's live
 * versions at the level the caller gives (see {@link Compatibility}).
 *
 * <p>Deletes follow Confluent's two steps: a soft delete hides a version (or every version of a
 * subject) from lookups and compatibility checks, and only a soft-deleted version can then be
 * deleted permanently. Version numbers go on from the highest one still stored; ids are never
 * reused. Ids and versions start at 1. Nothing bounds the store's size but what clients register:
 * it is meant for development and tests.
 *
 * <p>Thread-safe: every method is atomic.
 */
final class SchemaStore {

    /** One version of a subject. {@code schema} is the schema's canonical JSON text. */
    record SubjectVersion(String subject, int version, int id, String schema) {}

    /** A stored version; {@code deleted} once soft-deleted. */
    private static final class Entry {
        final int version;
        final int id;
        boolean deleted;

        Entry(int version, int id) {
            this.version = version;
            this.id = id;
        }
    }

    private final List<String> schemasById = new ArrayList<>(); // id n at index n - 1
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Entry>> entriesBySubject = new TreeMap<>(); // oldest first

    /**
     * Registers {@code schemaText} under {@code subject} and returns its global id.
     *
     * @throws RegistryError 42201 if the text is not a valid Avro schema, 409 if the schema is new
     *     to the subject and not compatible with its live versions at {@code level}
     */
    synchronized int register(String subject, String schemaText, Compatibility level) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        List<Entry> live = live(subject);
        Integer knownId = idsBySchema.get(canonical);
        if (knownId != null && live.stream().anyMatch(entry -> entry.id == knownId)) {
            return knownId;
        }
        List<String> problems = problems(schema, live, level);
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(subject, problems);
        }
        int id = knownId != null ? knownId : newId(canonical);
        List<Entry> entries = entriesBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        int version = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).version + 1;
        entries.add(new Entry(version, id));
        return id;
    }

    /**
     * The live version of {@code subject} that has {@code schemaText}.
     *
     * @throws RegistryError 42201 if the text is not a valid Avro schema, 40401 if the subject has no live version,
     *     40403 if none of them has this schema
     */
    synchronized SubjectVersion lookUp(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        List<Entry> live = requireLive(subject);
        Integer id = idsBySchema.get(canonical);
        for (Entry entry : live) {
            if (id != null && entry.id == id) {
                return describe(subject, entry);
            }
        }
        throw RegistryError.schemaNotFound();
    }

    /**
     * What keeps {@code schemaText} from being registered under {@code subject} at {@code level}, compared with
     * {@code version} (a number, or null for the latest) when the level is not transitive; empty when it is
     * compatible, as it is with a subject that has no version yet when the latest is asked for.
     *
     * @throws RegistryError 42201 if the text is not a valid Avro schema, 40401 or 40402 if a numbered version is
     *     asked for and the subject or version does not exist
     */
    synchronized List<String> problems(String subject, Integer version, String schemaText, Compatibility level) {
        Schema schema = parse(schemaText);
        List<Entry> live = live(subject);
        if (version == null || level.transitive()) {
            if (version != null) {
                version(subject, version);
            }
            return problems(schema, live, level);
        }
        SubjectVersion against = version(subject, version);
        return problems(schema, List.of(new Entry(against.version(), against.id())), level);
    }

    /** The canonical text of schema {@code id}, if there is one. */
    synchronized Optional<String> schema(int id) {
        return id >= 1 && id <= schemasById.size() ? Optional.of(schemasById.get(id - 1)) : Optional.empty();
    }

    /**
     * The live subject versions that have schema {@code id}, by subject then version, as
     * {@code {"subject": ..., "version": ...}} maps.
     *
     * @throws RegistryError 40403 if there is no such schema
     */
    synchronized List<Map<String, Object>> versionsOf(int id) {
        if (schema(id).isEmpty()) {
            throw RegistryError.schemaNotFound();
        }
        List<Map<String, Object>> found = new ArrayList<>();
        entriesBySubject.forEach((subject, entries) -> entries.stream()
                .filter(entry -> !entry.deleted && entry.id == id)
                .forEach(entry -> {
                    Map<String, Object> pair = new LinkedHashMap<>();
                    pair.put("subject", subject);
                    pair.put("version", entry.version);
                    found.add(pair);
                }));
        return found;
    }

    /** @throws RegistryError 40401 if the subject has no live version */
    synchronized SubjectVersion latest(String subject) {
        List<Entry> live = requireLive(subject);
        return describe(subject, live.get(live.size() - 1));
    }

    /** @throws RegistryError 40401 if the subject has no live version, 40402 if the version is not live */
    synchronized SubjectVersion version(String subject, int version) {
        return describe(subject, liveEntry(subject, version));
    }

    /** Every subject with a live version, in alphabetical order. */
    synchronized List<String> subjects() {
        return entriesBySubject.keySet().stream().filter(subject -> !live(subject).isEmpty()).toList();
    }

    /**
     * The live version numbers of {@code subject}, oldest first.
     *
     * @throws RegistryError 40401 if the subject has no live version
     */
    synchronized List<Integer> versions(String subject) {
        return requireLive(subject).stream().map(entry -> entry.version).toList();
    }

    /**
     * Deletes every version of {@code subject}: softly, or permanently those already soft-deleted.
     *
     * @return the version numbers deleted, oldest first
     * @throws RegistryError 40401 if the subject is unknown; for a soft delete, 40404 if it has no live version;
     *     for a permanent one, 40405 if it still has live versions
     */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Entry> entries = entriesBySubject.get(subject);
        if (entries == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        List<Entry> live = live(subject);
        if (permanent) {
            if (!live.isEmpty()) {
                throw RegistryError.subjectNotSoftDeleted(subject);
            }
            entriesBySubject.remove(subject);
            return entries.stream().map(entry -> entry.version).toList();
        }
        if (live.isEmpty()) {
            throw RegistryError.subjectSoftDeleted(subject);
        }
        live.forEach(entry -> entry.deleted = true);
        return live.stream().map(entry -> entry.version).toList();
    }

    /**
     * Deletes one version of {@code subject} ({@code null} for the latest live one): softly, or permanently one
     * already soft-deleted.
     *
     * @return the version number deleted
     * @throws RegistryError 40401 if the subject is unknown, 40402 if the version is; for a soft delete, 40406 if it is
     *     soft-deleted already; for a permanent one, 40407 if it is not
     */
    synchronized int deleteVersion(String subject, Integer version, boolean permanent) {
        List<Entry> entries = entriesBySubject.get(subject);
        if (entries == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        Entry entry = version == null ? latestLive(subject) : entries.stream().filter(e -> e.version == version)
                .findFirst().orElseThrow(() -> RegistryError.versionNotFound(String.valueOf(version)));
        if (permanent) {
            if (!entry.deleted) {
                throw RegistryError.versionNotSoftDeleted(subject, entry.version);
            }
            entries.remove(entry);
            if (entries.isEmpty()) {
                entriesBySubject.remove(subject);
            }
        } else {
            if (entry.deleted) {
                throw RegistryError.versionSoftDeleted(subject, entry.version);
            }
            entry.deleted = true;
        }
        return entry.version;
    }

    private Entry latestLive(String subject) {
        List<Entry> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryError.versionNotFound("latest");
        }
        return live.get(live.size() - 1);
    }

    private List<String> problems(Schema schema, List<Entry> earlier, Compatibility level) {
        List<Schema> schemas = earlier.stream().map(entry -> parse(schemasById.get(entry.id - 1))).toList();
        return level.problems(schema, schemas, earlier.stream().map(entry -> entry.version).toList());
    }

    private List<Entry> live(String subject) {
        return entriesBySubject.getOrDefault(subject, List.of()).stream().filter(entry -> !entry.deleted).toList();
    }

    private List<Entry> requireLive(String subject) {
        List<Entry> live = live(subject);
        if (live.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return live;
    }

    private Entry liveEntry(String subject, int version) {
        return requireLive(subject).stream().filter(entry -> entry.version == version).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(String.valueOf(version)));
    }

    private SubjectVersion describe(String subject, Entry entry) {
        return new SubjectVersion(subject, entry.version, entry.id, schemasById.get(entry.id - 1));
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
