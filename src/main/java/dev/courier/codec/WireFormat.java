package dev.courier.codec;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent wire format: byte 0 is the magic byte 0x00, bytes 1-4 the schema id as a
 * big-endian int, then the Avro binary encoding of the value (no container-file header).
 */
final class WireFormat {
    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Writes the 5-byte header to {@code out}; the caller then writes the Avro body. */
    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * Returns the schema id named by a framed value; the Avro body starts at {@link #HEADER_SIZE}.
     *
     * @throws DecodeException NULL_VALUE, TOO_SHORT or BAD_MAGIC_BYTE, naming {@code topic}
     */
    static int readSchemaId(String topic, byte[] value) throws DecodeException {
        if (value == null) {
            return fail(DecodeException.Reason.NULL_VALUE,
                    "record on topic \"%s\" has a null value (a tombstone), not an event", topic);
        }
        if (value.length < HEADER_SIZE) {
            return fail(DecodeException.Reason.TOO_SHORT,
                    "record on topic \"%s\" is %d byte(s) long; a Confluent-framed Avro value needs at "
                            + "least %d (magic byte 0x00 and a 4-byte schema id)",
                    topic, value.length, HEADER_SIZE);
        }
        if (value[0] != MAGIC_BYTE) {
            String hint = value[0] == '{' ? " (it looks like JSON)" : "";
            return fail(DecodeException.Reason.BAD_MAGIC_BYTE,
                    "record on topic \"%s\" starts with byte 0x%02x, not the Confluent magic byte 0x00; "
                            + "it was not written by a schema-registry Avro serializer%s",
                    topic, value[0] & 0xff, hint);
        }
        return (value[1] & 0xff) << 24 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 8
                | (value[4] & 0xff);
    }

    private static int fail(DecodeException.Reason reason, String format, Object... args)
            throws DecodeException {
        throw new DecodeException(reason, String.format(format, args));
    }
}
