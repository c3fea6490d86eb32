package dev.courier.codec;

import com.github.benmanes.caffeine.cache.Cache;
import org.apache.avro.Schema;

/**
 * Caches the answers that never change: the id of a (subject, schema) pair and the schema of
 * an id, each in a cache of at most {@code maxEntries} (see {@link BoundedCaches}); a hit makes no
 * registry call. {@link #latest} is passed through uncached since a subject gains versions.
 * Failures are not cached: an unknown id is asked again on the next call. Thread-safe; a lookup
 * that waits on the registry blocks no lookup of another key.
 */
final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final Cache<Integer, Schema> schemasById;
    private final Cache<SubjectSchema, Integer> idsBySubjectSchema;

    private record SubjectSchema(String subject, Schema schema) {}

    /** @param maxEntries the bound of each of the two caches */
    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int maxEntries) {
        this.delegate = delegate;
        this.schemasById = BoundedCaches.of(maxEntries);
        this.idsBySubjectSchema = BoundedCaches.of(maxEntries);
    }

    @Override
    public int register(String subject, Schema schema) throws SchemaRegistryException {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        idsBySubjectSchema.put(key, id);
        return id;
    }

    @Override
    public Schema schemaById(int id) throws SchemaRegistryException {
        Schema cached = schemasById.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = delegate.schemaById(id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public SubjectVersion latest(String subject) throws SchemaRegistryException {
        return delegate.latest(subject);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
