package dev.courier.codec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.apache.avro.Schema;

/**
 * Caches the answers that never change: the id of a (subject, schema) pair and the schema of
 * an id, each in a cache of at most {@code maxEntries} (see {@link BoundedCaches}); a hit makes no
 * registry call. {@link #latest} is passed through uncached since a subject gains versions.
 *
 * <p>An id the registry does not know ({@link SchemaRegistryException.Kind#NOT_FOUND} from
 * {@link #schemaById}) is remembered as a miss for {@link #MISS_TTL} (at most {@code maxEntries}
 * misses): until then the same id fails at once with the same message and no registry call, so a
 * flood of records naming one unknown id costs one lookup per {@code MISS_TTL}, not one per
 * record. After it the id is asked again, so a schema registered later is found. Other failures
 * (unavailable, refused) are not cached.
 *
 * <p>Thread-safe; a lookup that waits on the registry blocks no lookup of another key.
 */
final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    /** How long an id the registry does not know is answered from memory: 5 seconds. */
    static final Duration MISS_TTL = Duration.ofSeconds(5);

    private final SchemaRegistryClient delegate;
    private final Cache<Integer, Schema> schemasById;
    private final Cache<SubjectSchema, Integer> idsBySubjectSchema;
    private final Cache<Integer, SchemaRegistryException> unknownIds;

    private record SubjectSchema(String subject, Schema schema) {}

    /** @param maxEntries the bound of each of the caches */
    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int maxEntries) {
        this(delegate, maxEntries, MISS_TTL, Ticker.systemTicker());
    }

    /**
     * @param missTtl how long a NOT_FOUND answer for an id is kept
     * @param ticker  the nanosecond clock that ages the misses
     */
    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int maxEntries, Duration missTtl, Ticker ticker) {
        this.delegate = delegate;
        this.schemasById = BoundedCaches.of(maxEntries);
        this.idsBySubjectSchema = BoundedCaches.of(maxEntries);
        this.unknownIds = BoundedCaches.builder(maxEntries).expireAfterWrite(missTtl).ticker(ticker).build();
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

    /** @throws SchemaRegistryException NOT_FOUND at once, without a registry call, for an id found unknown in the last {@link #MISS_TTL} */
    @Override
    public Schema schemaById(int id) throws SchemaRegistryException {
        Schema cached = schemasById.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        SchemaRegistryException miss = unknownIds.getIfPresent(id);
        if (miss != null) {
            throw new SchemaRegistryException(miss.kind(), miss.getMessage(), miss.httpStatus(), miss.errorCode(), null);
        }
        Schema schema;
        try {
            schema = delegate.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                unknownIds.put(id, e);
            }
            throw e;
        }
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
