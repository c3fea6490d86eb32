package dev.courier.codec;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;

/**
 * For each (reader schema, writer schema id), the Avro reader that resolves the writer schema
 * against the reader schema (this is where schema evolution happens), or the reason the two
 * cannot be resolved. Both outcomes are permanent and cached; an id the registry does not know
 * is not cached here (the registry client built by {@link SchemaRegistryClient#builder} remembers
 * it for a few seconds). Thread-safe: Avro datum readers may be shared between threads.
 */
final class EventReaders {

    /** A resolved reader, or (reader null) why the writer schema cannot be read. */
    private record Resolution(DatumReader<Object> reader, String incompatibility) {}

    private record Key(Schema reader, GenericData model, int schemaId) {}

    private final SchemaRegistryClient registry;
    private final Cache<Key, Resolution> resolutions;

    EventReaders(SchemaRegistryClient registry, int maxEntries) {
        this.registry = registry;
        this.resolutions = BoundedCaches.of(maxEntries);
    }

    /**
     * @param model the data model that builds the values (SpecificData for generated classes)
     * @throws DecodeException UNKNOWN_SCHEMA_ID when the registry does not know the id,
     *     INCOMPATIBLE_SCHEMA when its schema cannot be read with {@code readerSchema}
     * @throws SchemaRegistryException when the registry cannot answer (not a property of the record)
     */
    DatumReader<Object> readerFor(String topic, Schema readerSchema, GenericData model,
            int schemaId) throws DecodeException, SchemaRegistryException {
        Key key = new Key(readerSchema, model, schemaId);
        Resolution resolution = resolutions.getIfPresent(key);
        if (resolution == null) {
            resolution = resolve(readerSchema, model, writerSchema(topic, schemaId));
            resolutions.put(key, resolution);
        }
        if (resolution.reader() == null) {
            throw new DecodeException(DecodeException.Reason.INCOMPATIBLE_SCHEMA, schemaId,
                    "record on topic \"" + topic + "\" was written with schema id " + schemaId
                            + ", which cannot be read as " + readerSchema.getFullName() + ": "
                            + resolution.incompatibility(), null);
        }
        return resolution.reader();
    }

    private Schema writerSchema(String topic, int schemaId)
            throws DecodeException, SchemaRegistryException {
        try {
            return registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.kind() != SchemaRegistryException.Kind.NOT_FOUND) {
                throw e;
            }
            throw new DecodeException(DecodeException.Reason.UNKNOWN_SCHEMA_ID, schemaId,
                    "record on topic \"" + topic + "\" names schema id " + schemaId
                            + ", which the registry does not know: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Resolution resolve(Schema reader, GenericData model, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new Resolution((DatumReader<Object>) model.createDatumReader(writer, reader), null);
        }
        String why = compatibility.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .collect(Collectors.joining("; "));
        return new Resolution(null, why);
    }
}
