package dev.courier.codec;

import dev.courier.testkit.InMemorySchemaRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.FailureCategory;
import dev.courier.avro.RequestEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Version 1 is schemas/RequestEvent.avsc as it is; version 2 is version 1 plus a field with a
 * default, as a later Courier might publish. Records travel through the registry path: the
 * writer schema is found by the id in the record's header.
 */
class SchemaEvolutionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final EventSerde serde = EventSerde.create(registry, true);

    @Test
    void aRequestWrittenWithVersion1IsReadByVersion2AndTheNewFieldTakesItsDefault()
            throws Exception {
        byte[] written = serde.encode("requests", Events.request()); // registers version 1

        GenericRecord read = (GenericRecord) serde.decode(
                "requests", written, version2(), GenericData.get());

        assertThat(read.get("priority")).isEqualTo(5);
        assertThat(read.get("id").toString()).isEqualTo("r-1");
        assertThat(read.get("maxAttempts")).isEqualTo(3);
        assertThat(read.get("deadline")).isEqualTo(Events.DEADLINE.toEpochMilli());
    }

    @Test
    void aRequestWrittenWithVersion2IsReadByVersion1IgnoringTheNewField() throws Exception {
        Schema version2 = version2();
        registry.put("requests-value", 2, version2);
        GenericRecord request = (GenericRecord) serde.decode(
                "requests", serde.encode("requests", Events.request()), version2, GenericData.get());
        request.put("priority", 9);

        RequestEvent read = serde.decode("requests", framed(2, version2, request), RequestEvent.class);

        assertThat(read).isEqualTo(Events.request());
    }

    @Test
    void aReaderWithANewFieldWithoutDefaultCannotReadVersion1() throws Exception {
        byte[] written = serde.encode("requests", Events.request());
        Schema strict = withField(version1(), JSON.createObjectNode()
                .put("name", "tenant").put("type", "string"));

        assertThatThrownBy(() -> serde.decode("requests", written, strict, GenericData.get()))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("tenant");
    }

    @Test
    void aFailureCategoryAddedLaterIsReadAsUnknown() throws Exception {
        Schema later = new Schema.Parser().parse(DeadLetterEvent.getClassSchema().toString()
                .replace("\"INTERNAL_ERROR\"]", "\"INTERNAL_ERROR\",\"RATE_LIMITED\"]"));
        registry.put("dead-value", 3, later);
        GenericRecord deadLetter = new GenericRecordBuilder(later)
                .set("category", new GenericData.EnumSymbol(
                        later.getField("category").schema(), "RATE_LIMITED"))
                .set("errorMessage", "429")
                .set("failedAt", 0L)
                .set("sourceTopic", "requests")
                .set("sourcePartition", 0)
                .set("sourceOffset", 7L)
                .build();

        DeadLetterEvent read = serde.decode("dead", framed(3, later, deadLetter), DeadLetterEvent.class);

        assertThat(read.getCategory()).isEqualTo(FailureCategory.UNKNOWN);
        assertThat(read.getSourceOffset()).isEqualTo(7L);
    }

    private static Schema version1() throws IOException {
        return new Schema.Parser().parse(Files.readString(Path.of("schemas/RequestEvent.avsc")));
    }

    private static Schema version2() throws IOException {
        return withField(version1(), JSON.createObjectNode()
                .put("name", "priority").put("type", "int").put("default", 5));
    }

    private static Schema withField(Schema schema, ObjectNode field) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) json.get("fields")).add(field);
        return new Schema.Parser().parse(json.toString());
    }

    /** A record as another producer's serializer writes it: header by hand, then Avro. */
    private static byte[] framed(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8),
                (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
