package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codec.EventCodec;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the dead letter of a record that cannot be decoded keeps: by default the value's length, SHA-256 and schema id,
 * not its bytes, which may hold whatever credentials the event carried (nothing was decoded, so nothing could be
 * redacted); the bytes only with {@code courier.dead-letters.keep-raw-value=true}.
 */
class UndecodableValueTest {

    private static final String TOPIC = "courier.requests";

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final RequestValidator validator = new RequestValidator(name -> Optional.empty());

    /** A request with a bearer token and a token in its query, encoded, with one stray byte after it. */
    private byte[] eventWithSecretsAndATrailingByte() throws Exception {
        RequestSpec spec = new RequestSpec("r-1", "GET", "https://api.example.com/x?token=t0k3n-in-query", null, null,
                Map.of("Authorization", "Bearer s3cr3t-bearer"), null, null, null, null, null, null, null, null,
                Map.of());
        byte[] encoded = codec.encodeRequest(TOPIC, spec);
        byte[] value = Arrays.copyOf(encoded, encoded.length + 1);
        value[encoded.length] = 7;
        return value;
    }

    private Decoded.Rejected decode(boolean keepRawValue, byte[] value) throws Exception {
        Decoded decoded = new RecordDecoder(codec, validator, keepRawValue)
                .decode(new ConsumerRecord<>(TOPIC, 0, 42L, "k".getBytes(StandardCharsets.UTF_8), value), 1);
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        return (Decoded.Rejected) decoded;
    }

    @Test
    void byDefaultTheDeadLetterKeepsTheValuesLengthHashAndSchemaIdNotItsBytes() throws Exception {
        byte[] value = eventWithSecretsAndATrailingByte();

        Decoded.Rejected rejected = decode(false, value);

        assertThat(rejected.failure().category()).isEqualTo(FailureCategory.UNDECODABLE);
        assertThat(rejected.origin().rawValue()).isNull();
        int schemaId = (value[1] & 0xff) << 24 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 8 | (value[4] & 0xff);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        assertThat(rejected.failure().message()).contains("trailing byte",
                "the value (" + value.length + " bytes, SHA-256 " + sha256 + ", schema id " + schemaId
                        + ") is not kept", "courier.dead-letters.keep-raw-value");
        byte[] stored = codec.encodeDeadLetter("courier.dead-letters", new DeadLetterEntry(null,
                rejected.origin().key(), rejected.origin().rawValue(), rejected.failure(), Instant.EPOCH,
                rejected.origin().source(), 0));
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(text).as("the stored dead letter").doesNotContain("s3cr3t-bearer", "t0k3n-in-query");
    }

    @Test
    void aValueWithoutConfluentFramingHasNoSchemaId() throws Exception {
        byte[] value = "{\"id\":\"r-1\",\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8);

        Decoded.Rejected rejected = decode(false, value);

        assertThat(rejected.origin().rawValue()).isNull();
        assertThat(rejected.failure().message()).contains("(" + value.length + " bytes, SHA-256 ", ", no schema id)");
    }

    @Test
    void withKeepRawValueTheBytesAreKeptAsBefore() throws Exception {
        byte[] value = eventWithSecretsAndATrailingByte();

        Decoded.Rejected rejected = decode(true, value);

        assertThat(rejected.origin().rawValue()).isEqualTo(Bytes.copyOf(value));
        assertThat(rejected.failure().message()).doesNotContain("is not kept");
    }

    @Test
    void aTombstoneHasNoValueToDescribe() throws Exception {
        Decoded.Rejected rejected = decode(false, null);

        assertThat(rejected.origin().rawValue()).isNull();
        assertThat(rejected.failure().message()).contains("tombstone").doesNotContain("SHA-256");
    }
}
