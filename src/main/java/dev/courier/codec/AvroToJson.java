package dev.courier.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes an Avro record as JSON by walking its schema, so fields added to a schema later need
 * no code here. Null fields are omitted; timestamps are ISO-8601 with milliseconds; enums are
 * their symbol; bytes follow {@link JsonFieldNames}. Stateless and thread-safe.
 */
final class AvroToJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Always three fractional digits: 2026-11-21T10:15:30.000Z. */
    private static final DateTimeFormatter INSTANT = new DateTimeFormatterBuilder()
            .appendInstant(3).toFormatter();

    private final GenericData model;

    /** @param model the data model of the record's class, which knows its logical types */
    AvroToJson(GenericData model) {
        this.model = model;
    }

    ObjectNode record(IndexedRecord record) {
        ObjectNode json = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value == null) {
                continue;
            }
            if (JsonFieldNames.isBytes(field) && value instanceof ByteBuffer bytes) {
                String text = JsonFieldNames.hasTextForm(field) ? utf8(bytes) : null;
                if (text != null) {
                    json.put(field.name(), text);
                } else {
                    json.put(JsonFieldNames.base64Name(field), base64(bytes));
                }
            } else {
                json.set(field.name(), value(field.schema(), value));
            }
        }
        return json;
    }

    private JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return value(schema.getTypes().get(model.resolveUnion(schema, value)), value);
            case RECORD:
                return record((IndexedRecord) value);
            case MAP: {
                ObjectNode json = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    json.set(entry.getKey().toString(), value(schema.getValueType(), entry.getValue()));
                }
                return json;
            }
            case ARRAY: {
                ArrayNode json = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    json.add(value(schema.getElementType(), item));
                }
                return json;
            }
            case BYTES:
                return NODES.textNode(base64((ByteBuffer) value));
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case INT:
            case LONG:
            case FLOAT:
            case DOUBLE:
                if (value instanceof Instant instant) {
                    return NODES.textNode(INSTANT.format(instant));
                }
                if (value instanceof Integer number) {
                    return NODES.numberNode(number);
                }
                if (value instanceof Long number) {
                    return NODES.numberNode(number);
                }
                if (value instanceof Float number) {
                    return NODES.numberNode(number);
                }
                if (value instanceof Double number) {
                    return NODES.numberNode(number);
                }
                return NODES.textNode(value.toString()); // other logical types: dates, times, decimals
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            default: // STRING, ENUM
                return NODES.textNode(value.toString());
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. Leaves the buffer untouched. */
    private static String utf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate()).toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return Base64.getEncoder().encodeToString(array);
    }
}
