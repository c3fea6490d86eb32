package dev.courier.codec;

import com.github.benmanes.caffeine.cache.Cache;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schema id and the reusable Avro writer for each (topic, event class), found once through
 * the registry and then cached, so encoding makes no registry call per event. Thread-safe.
 */
final class EventWriters {

    /** What encoding one event class for one topic needs. */
    record Writer(int schemaId, SpecificDatumWriter<SpecificRecord> datumWriter) {}

    private record Key(String topic, Class<?> type) {}

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Cache<Key, Writer> writers;

    EventWriters(SchemaRegistryClient registry, boolean autoRegister, int maxEntries) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.writers = BoundedCaches.of(maxEntries);
    }

    /**
     * With auto-registration, registers the event's schema under {@code <topic>-value} on first
     * use. Without, uses the id of the subject's latest version, which must have the same
     * Parsing Canonical Form as the event's schema (else the bytes would lie about their schema).
     */
    Writer writerFor(String topic, SpecificRecord event) throws SchemaRegistryException {
        return writerFor(topic, event.getClass(), event.getSchema());
    }

    /** {@link #writerFor(String, SpecificRecord)} for the generated class {@code type} with schema {@code schema}. */
    Writer writerFor(String topic, Class<?> type, Schema schema) throws SchemaRegistryException {
        Key key = new Key(topic, type);
        Writer cached = writers.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        String subject = TopicNameStrategy.valueSubject(topic);
        int id = autoRegister ? registry.register(subject, schema) : latestIdOf(subject, schema);
        Writer writer = new Writer(id, new SpecificDatumWriter<>(schema, SpecificData.getForClass(type)));
        writers.put(key, writer);
        return writer;
    }

    private int latestIdOf(String subject, Schema schema) throws SchemaRegistryException {
        SchemaRegistryClient.SubjectVersion latest = registry.latest(subject);
        if (SchemaNormalization.parsingFingerprint64(latest.schema())
                != SchemaNormalization.parsingFingerprint64(schema)) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.REFUSED,
                    "the latest schema of subject \"" + subject + "\" (version " + latest.version()
                            + ", id " + latest.id() + ") in " + registry + " is not the schema of "
                            + schema.getFullName() + " that Courier writes, and auto-registration is off; "
                            + "register that schema or turn auto-registration on",
                    0, 0, null);
        }
        return latest.id();
    }
}
