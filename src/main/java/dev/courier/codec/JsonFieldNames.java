package dev.courier.codec;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * How Avro fields are named in JSON. A field keeps its schema name, except a bytes field
 * {@code x}, which is {@code xBase64} (standard base64), and the bytes field {@code body},
 * which is {@code body} (UTF-8 text) or {@code bodyBase64} (any bytes).
 */
final class JsonFieldNames {
    static final String TEXT_BODY = "body";
    static final String BASE64_SUFFIX = "Base64";

    private JsonFieldNames() {}

    /** True when the field holds bytes, possibly nullable. */
    static boolean isBytes(Schema.Field field) {
        return nonNull(field.schema()).getType() == Schema.Type.BYTES;
    }

    /** The single non-null branch of a union with null, else the schema itself. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : schema;
    }

    static String base64Name(Schema.Field field) {
        return field.name() + BASE64_SUFFIX;
    }

    /** True when the bytes field may be given as UTF-8 text under its own name. */
    static boolean hasTextForm(Schema.Field field) {
        return field.name().equals(TEXT_BODY);
    }

    /** Every JSON name the record's fields may appear under, in schema order. */
    static List<String> jsonNames(Schema record) {
        List<String> names = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            if (!isBytes(field)) {
                names.add(field.name());
                continue;
            }
            if (hasTextForm(field)) {
                names.add(field.name());
            }
            names.add(base64Name(field));
        }
        return names;
    }
}
