package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.avro.RequestEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes laid out by hand from Confluent's documented wire format (magic byte 0x00, schema id
 * as a 4-byte big-endian int, Avro binary with zig-zag varints), as KafkaAvroSerializer writes
 * them, against a registry that speaks HTTP.
 */
class ConfluentWireFormatTest {
    private static final int SCHEMA_ID = 0x01020304;

    private final MockWebServer registry = new MockWebServer();
    private EventSerde serde;

    @BeforeEach
    void startRegistry() throws IOException {
        registry.start(0);
        serde = EventSerde.create(
                SchemaRegistryClient.builder(URI.create(registry.url("/").toString())).build(), true);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void decodesARequestEventWrittenByKafkaAvroSerializer() throws Exception {
        String avsc = Files.readString(Path.of("schemas/RequestEvent.avsc"));
        registry.enqueue(json(Map.of("schema", avsc)));

        RequestEvent event = serde.decode("requests", handWrittenRequest(), RequestEvent.class);

        assertThat(event).isEqualTo(Events.request());
        RecordedRequest fetch = registry.takeRequest();
        assertThat(fetch.getMethod()).isEqualTo("GET");
        assertThat(fetch.getTarget()).isEqualTo("/schemas/ids/" + SCHEMA_ID);
    }

    @Test
    void encodesARequestEventExactlyAsKafkaAvroSerializerWould() throws Exception {
        registry.enqueue(json(Map.of("id", SCHEMA_ID)));

        byte[] bytes = serde.encode("requests", Events.request());

        assertThat(bytes).containsExactly(handWrittenRequest());
        RecordedRequest register = registry.takeRequest();
        assertThat(register.getMethod()).isEqualTo("POST");
        assertThat(register.getTarget()).isEqualTo("/subjects/requests-value/versions");
    }

    /** Events.request() in the Confluent wire format, field by field in schema order. */
    private static byte[] handWrittenRequest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x00); // magic byte
        out.writeBytes(new byte[] {0x01, 0x02, 0x03, 0x04}); // schema id, big-endian
        string(out, "r-1"); // id
        string(out, "POST"); // method
        varint(out, 1); // url: union branch 1 (string)
        string(out, "https://api.example.com/orders");
        varint(out, 0); // target: union branch 0 (null)
        varint(out, 0); // path: null
        varint(out, 1); // headers: a block of one entry
        string(out, "X-Trace");
        string(out, "abc");
        varint(out, 0); // end of map
        varint(out, 1); // body: bytes
        bytes(out, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        varint(out, 1); // contentType
        string(out, "application/json");
        varint(out, 1); // timeoutMs: long
        varint(out, 1500);
        varint(out, 1); // maxAttempts: int
        varint(out, 3);
        varint(out, 1); // deadline: timestamp-millis
        varint(out, Events.DEADLINE.toEpochMilli());
        varint(out, 0); // idempotencyKey: null
        varint(out, 1); // correlationId
        string(out, "c-9");
        varint(out, 0); // rateLimitKey: null
        varint(out, 1); // attributes: one entry
        string(out, "tenant");
        string(out, "t1");
        varint(out, 0); // end of map
        return out.toByteArray();
    }

    /** Avro int and long: zig-zag, then 7 bits per byte, low bits first, high bit = more. */
    private static void varint(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }

    private static void bytes(ByteArrayOutputStream out, byte[] bytes) {
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void string(ByteArrayOutputStream out, String text) {
        bytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static MockResponse json(Map<String, ?> body) throws IOException {
        return new MockResponse.Builder()
                .setHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                .body(new ObjectMapper().writeValueAsString(body))
                .build();
    }
}
