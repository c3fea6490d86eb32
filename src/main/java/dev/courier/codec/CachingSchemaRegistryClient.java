package dev.courier.codec;

import org.apache.avro.Schema;

/**
 * Caches the answers that never change: the id of a (subject, schema) pair and the schema of
 * an id. {@link #latest} is passed through uncached since a subject gains versions. Failures
 * are not cached: an unknown id is asked again on the next call. Thread-safe.
 */
final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

    private record SubjectSchema(String subject, Schema schema) {}

    /** @param maxEntries the bound of each of the two caches */
    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int maxEntries) {
        this.delegate = delegate;
        this.schemasById = new BoundedCache<>(maxEntries);
        this.idsBySubjectSchema = new BoundedCache<>(maxEntries);
    }

    @Override
    public int register(String subject, Schema schema) throws SchemaRegistryException {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        idsBySubjectSchema.put(key, id);
        return id;
    }

    @Override
    public Schema schemaById(int id) throws SchemaRegistryException {
        Schema cached = schemasById.get(id);
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
