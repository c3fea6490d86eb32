package dev.courier.codec;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A Kafka record value that cannot be decoded into an event. Every reason is a permanent
 * property of the record's bytes (or of the schema id they name): decoding the same record
 * again gives the same failure, so the caller may dead-letter it with its raw bytes.
 *
 * <p>A registry that is down is never a decode failure; {@link EventSerde#decode} reports it as
 * a transient {@link SchemaRegistryException} instead.
 */
public final class DecodeException extends Exception {

    /** Why a record could not be decoded. */
    public enum Reason {
        /** The value is null: a Kafka tombstone. */
        NULL_VALUE,
        /** Fewer bytes than the 5-byte header (magic byte and schema id). */
        TOO_SHORT,
        /** The first byte is not the Confluent magic byte 0x00. */
        BAD_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer schema cannot be resolved against the reader schema, or is not valid Avro. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body is truncated, corrupt, or followed by trailing bytes. */
        MALFORMED
    }

    private final Reason reason;
    private final Integer schemaId;

    DecodeException(Reason reason, String message) {
        this(reason, null, message, null);
    }

    DecodeException(Reason reason, Integer schemaId, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id named by the record's header; empty when the header could not be read. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
