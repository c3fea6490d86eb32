package dev.courier.codec;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes events into, and decodes them from, Kafka record values in the Confluent wire format
 * (magic byte 0x00, 4-byte big-endian schema id, Avro binary), with schemas kept in a schema
 * registry under Confluent's TopicNameStrategy subject {@code <topic>-value}.
 *
 * <p>Thread-safe: build one instance and share it. After the first event of each (topic, class)
 * and the first record of each writer schema id, neither direction calls the registry; those
 * per-instance caches hold at most {@link #CACHE_SIZE} entries each.
 */
final class EventSerde {
    /** Most (topic, class) writers and most (class, writer id) readers kept, each. */
    static final int CACHE_SIZE = 1_000;

    private final EventWriters writers;
    private final EventReaders readers;

    private EventSerde(SchemaRegistryClient registry, boolean autoRegister) {
        this.writers = new EventWriters(registry, autoRegister, CACHE_SIZE);
        this.readers = new EventReaders(registry, CACHE_SIZE);
    }

    /**
     * @param autoRegister true (Confluent's default) to register each event schema under its
     *     subject on first use; false to write with the id of the subject's latest version, which
     *     must then be the same schema
     */
    static EventSerde create(SchemaRegistryClient registry, boolean autoRegister) {
        return new EventSerde(Objects.requireNonNull(registry, "registry"), autoRegister);
    }

    /**
     * Returns {@code event} as a Confluent-framed record value for {@code topic}.
     *
     * @throws SchemaRegistryException when the schema id cannot be had from the registry (first
     *     use of this topic and class only)
     * @throws IllegalArgumentException when the event breaks its own schema (a null required field)
     */
    byte[] encode(String topic, SpecificRecord event) throws SchemaRegistryException {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(event, "event");
        EventWriters.Writer writer = writers.writerFor(topic, event);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        WireFormat.writeHeader(out, writer.schemaId());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.datumWriter().write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + event.getSchema().getFullName()
                    + " for topic \"" + topic + "\": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Finds the schema id that {@link #encode} will use for events of {@code type} on {@code topic}, so
     * registry problems show before the first event.
     *
     * @throws SchemaRegistryException as {@link #encode} would
     */
    void prepare(String topic, Schema schema, Class<? extends SpecificRecord> type) throws SchemaRegistryException {
        writers.writerFor(topic, type, schema);
    }

    /**
     * Decodes a record value written in the Confluent wire format by any schema the registry
     * holds that {@code type}'s schema can read (schema evolution: added fields take their
     * defaults, removed fields are skipped).
     *
     * @param value the Kafka record value; null for a tombstone
     * @throws DecodeException when the record itself cannot be decoded; permanent, see
     *     {@link DecodeException.Reason}
     * @throws SchemaRegistryException when the registry cannot be asked for the writer schema;
     *     never a reason to drop the record, since the same call may succeed later
     */
    <T extends SpecificRecord> T decode(String topic, byte[] value, Class<T> type)
            throws DecodeException, SchemaRegistryException {
        Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        return type.cast(decode(topic, value, model.getSchema(type), model));
    }

    /** {@link #decode(String, byte[], Class)} with any reader schema and data model. */
    Object decode(String topic, byte[] value, Schema readerSchema, GenericData model)
            throws DecodeException, SchemaRegistryException {
        Objects.requireNonNull(topic, "topic");
        int schemaId = WireFormat.readSchemaId(topic, value);
        DatumReader<Object> reader = readers.readerFor(topic, readerSchema, model, schemaId);
        BoundedBinaryDecoder in = new BoundedBinaryDecoder(
                value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE);
        Object event;
        try {
            event = reader.read(null, in);
            if (!in.isEnd()) {
                throw malformed(topic, schemaId, "it has " + in.remaining()
                        + " trailing byte(s) after the record", null);
            }
        } catch (IOException | RuntimeException e) {
            String why;
            if (e instanceof EOFException) {
                why = "it is truncated" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
            } else {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            throw malformed(topic, schemaId, why, e);
        }
        return event;
    }

    private static DecodeException malformed(String topic, int schemaId, String why,
            Throwable cause) {
        return new DecodeException(DecodeException.Reason.MALFORMED, schemaId,
                "record on topic \"" + topic + "\" is not valid Avro for its writer schema id "
                        + schemaId + ": " + why, cause);
    }
}
