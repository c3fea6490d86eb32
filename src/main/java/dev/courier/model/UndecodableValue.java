package dev.courier.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the dead letter of a record that could not be decoded names its value without keeping it: its length, its
 * SHA-256 (to find the record again, or to compare two), and the schema id its Confluent framing names. Nothing of the
 * value could be decoded, so nothing in it could be redacted: its bytes may hold the event's credentials. Stateless.
 */
public final class UndecodableValue {

    /** The setting that keeps the bytes instead. */
    public static final String KEEP_SETTING = "courier.dead-letters.keep-raw-value";

    private UndecodableValue() {
    }

    /**
     * For example {@code the value (110 bytes, SHA-256 0a1b..., schema id 3) is not kept; courier.dead-letters.
     * keep-raw-value=true keeps it}.
     */
    public static String description(byte[] value) {
        return "the value (" + value.length + " bytes, SHA-256 " + sha256(value) + ", " + schemaId(value)
                + ") is not kept; " + KEEP_SETTING + "=true keeps it";
    }

    /** {@code schema id N} of a value in the Confluent framing (magic byte 0, then 4 bytes), else {@code no schema id}. */
    private static String schemaId(byte[] value) {
        if (value.length < 5 || value[0] != 0) {
            return "no schema id";
        }
        int id = (value[1] & 0xff) << 24 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 8 | (value[4] & 0xff);
        return "schema id " + id;
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
