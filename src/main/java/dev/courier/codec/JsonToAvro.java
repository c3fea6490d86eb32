package dev.courier.codec;

import dev.courier.config.Suggestions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Reads an Avro record from JSON written the way {@link AvroToJson} writes it, strictly: unknown
 * fields, wrong types and out-of-range numbers are problems, each named with its field path.
 * Collects every problem of the input instead of stopping at the first. Absent fields take
 * their schema default. Not thread-safe: one instance per input.
 */
final class JsonToAvro {
    private static final Object ABSENT = new Object();
    private static final int MAX_SHOWN_CHARS = 60;

    private final GenericData model;
    private final List<String> problems = new ArrayList<>();

    /** @param model the data model of the target class, which creates its records */
    JsonToAvro(GenericData model) {
        this.model = model;
    }

    /** Problems found so far; the record returned is meaningless unless this is empty. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    IndexedRecord record(Schema schema, ObjectNode json, String prefix) {
        List<String> known = JsonFieldNames.jsonNames(schema);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String nearest = Suggestions.nearest(name, known).orElse(null);
                problems.add("unknown field \"" + prefix + name + "\""
                        + (nearest != null ? " (did you mean \"" + prefix + nearest + "\"?)"
                                : "; known fields are " + String.join(", ", known)));
            }
        }
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            Object value = JsonFieldNames.isBytes(field) ? bytesField(field, json, prefix)
                    : field(field, json.get(field.name()), prefix + field.name());
            if (value == ABSENT) {
                if (field.hasDefaultValue()) {
                    value = model.deepCopy(field.schema(), model.getDefaultValue(field));
                } else {
                    problems.add("missing required field \"" + prefix + field.name() + "\"");
                    value = null;
                }
            }
            record.put(field.pos(), value);
        }
        return record;
    }

    private Object field(Schema.Field field, JsonNode node, String path) {
        return node == null ? ABSENT : value(field.schema(), node, path);
    }

    private Object bytesField(Schema.Field field, ObjectNode json, String prefix) {
        String textName = prefix + field.name();
        String base64Name = prefix + JsonFieldNames.base64Name(field);
        JsonNode text = JsonFieldNames.hasTextForm(field) ? json.get(field.name()) : null;
        JsonNode base64 = json.get(JsonFieldNames.base64Name(field));
        if (text != null && base64 != null) {
            return problem("fields \"" + textName + "\" and \"" + base64Name
                    + "\" are mutually exclusive; give the bytes as text or as base64, not both");
        }
        if (text != null) {
            if (text.isNull() && nullable(field.schema())) {
                return null;
            }
            if (!text.isTextual()) {
                String hint = text.isContainerNode() ? " (to send JSON, give it as a JSON string)" : "";
                return problem("field \"" + textName + "\" must be a string, got " + shown(text) + hint);
            }
            return ByteBuffer.wrap(text.textValue().getBytes(StandardCharsets.UTF_8));
        }
        if (base64 != null) {
            if (base64.isNull() && nullable(field.schema())) {
                return null;
            }
            return bytes(base64, base64Name);
        }
        return ABSENT;
    }

    private Object value(Schema schema, JsonNode node, String path) {
        switch (schema.getType()) {
            case UNION:
                if (node.isNull() && nullable(schema)) {
                    return null;
                }
                Schema branch = JsonFieldNames.nonNull(schema);
                if (branch.getType() == Schema.Type.UNION) {
                    return problem("field \"" + path + "\" has a union of several types, which JSON "
                            + "input does not support");
                }
                return value(branch, node, path);
            case NULL:
                return node.isNull() ? null : expected(path, "null", node);
            case STRING:
                return node.isTextual() ? node.textValue() : expected(path, "a string", node);
            case BOOLEAN:
                return node.isBoolean() ? node.booleanValue() : expected(path, "true or false", node);
            case INT:
                if (!node.isIntegralNumber()) {
                    return expected(path, "an integer", node);
                }
                return node.canConvertToInt() ? (Object) node.intValue()
                        : outOfRange(path, Integer.MIN_VALUE, Integer.MAX_VALUE, node);
            case LONG:
                return isTimestamp(schema.getLogicalType()) ? instant(node, path) : longValue(node, path);
            case FLOAT:
                return node.isNumber() ? (Object) node.floatValue() : expected(path, "a number", node);
            case DOUBLE:
                return node.isNumber() ? (Object) node.doubleValue() : expected(path, "a number", node);
            case ENUM:
                return enumSymbol(schema, node, path);
            case MAP:
                return map(schema, node, path);
            case ARRAY:
                return array(schema, node, path);
            case RECORD:
                return node instanceof ObjectNode object ? record(schema, object, path + ".")
                        : expected(path, "an object", node);
            case BYTES:
                return bytes(node, path);
            default: // FIXED
                return problem("field \"" + path + "\" has Avro type " + schema.getType()
                        + ", which JSON input does not support");
        }
    }

    private Object longValue(JsonNode node, String path) {
        if (!node.isIntegralNumber()) {
            return expected(path, "an integer", node);
        }
        return node.canConvertToLong() ? (Object) node.longValue()
                : outOfRange(path, Long.MIN_VALUE, Long.MAX_VALUE, node);
    }

    /** An ISO-8601 instant (any offset) or epoch milliseconds; precision beyond ms is dropped. */
    private Object instant(JsonNode node, String path) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue()).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        return expected(path, "an ISO-8601 instant such as \"2026-11-21T10:15:30.123Z\" "
                + "or epoch milliseconds", node);
    }

    private Object enumSymbol(Schema schema, JsonNode node, String path) {
        if (node.isTextual() && schema.getEnumSymbols().contains(node.textValue())) {
            return model.createEnum(node.textValue(), schema);
        }
        String nearest = node.isTextual()
                ? Suggestions.nearest(node.textValue(), schema.getEnumSymbols()).orElse(null) : null;
        return problem("field \"" + path + "\" must be one of " + String.join(", ",
                schema.getEnumSymbols()) + ", got " + shown(node)
                + (nearest != null ? " (did you mean \"" + nearest + "\"?)" : ""));
    }

    private Object map(Schema schema, JsonNode node, String path) {
        if (!node.isObject()) {
            return expected(path, "an object", node);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            map.put(entry.getKey(),
                    value(schema.getValueType(), entry.getValue(), path + "." + entry.getKey()));
        }
        return map;
    }

    private Object array(Schema schema, JsonNode node, String path) {
        if (!node.isArray()) {
            return expected(path, "an array", node);
        }
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            list.add(value(schema.getElementType(), node.get(i), path + "[" + i + "]"));
        }
        return list;
    }

    private Object bytes(JsonNode node, String path) {
        if (!node.isTextual()) {
            return expected(path, "a base64 string", node);
        }
        try {
            return ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
        } catch (IllegalArgumentException e) {
            return problem("field \"" + path + "\" is not valid base64");
        }
    }

    private static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static boolean isTimestamp(LogicalType type) {
        return type instanceof LogicalTypes.TimestampMillis
                || type instanceof LogicalTypes.TimestampMicros;
    }

    private Object expected(String path, String what, JsonNode got) {
        return problem("field \"" + path + "\" must be " + what + ", got " + shown(got));
    }

    private Object outOfRange(String path, long min, long max, JsonNode got) {
        return problem("field \"" + path + "\" must be between " + min + " and " + max + ", got "
                + shown(got));
    }

    private Object problem(String message) {
        problems.add(message);
        return null;
    }

    private static String shown(JsonNode node) {
        String text = node.toString();
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }
}
