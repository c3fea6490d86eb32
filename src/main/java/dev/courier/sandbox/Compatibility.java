package dev.courier.sandbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels and what each asks of a new schema: BACKWARD, that it can read data written with
 * the earlier schema; FORWARD, that the earlier schema can read data written with it; FULL, both. The plain levels
 * compare with the latest version only, the {@code _TRANSITIVE} ones with every version; NONE compares with nothing.
 * Problems are described the way Confluent's registry describes them. Stateless.
 */
enum Compatibility {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's default, and the stand-in's until {@code PUT /config} changes it. */
    static final Compatibility DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    Compatibility(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /**
     * The level named {@code name}, in any case.
     *
     * @throws RegistryError 42203 for anything else, null included
     */
    static Compatibility parse(String name) {
        if (name != null) {
            for (Compatibility level : values()) {
                if (level.name().equalsIgnoreCase(name.trim())) {
                    return level;
                }
            }
        }
        throw RegistryError.invalidCompatibility(name);
    }

    /** Whether the level compares with every earlier version rather than the latest only. */
    boolean transitive() {
        return transitive;
    }

    /**
     * What keeps {@code candidate} from being registered after {@code earlier} (a subject's live versions, oldest
     * first, with their version numbers); empty when it is compatible.
     */
    List<String> problems(Schema candidate, List<Schema> earlier, List<Integer> earlierVersions) {
        List<String> problems = new ArrayList<>();
        int first = transitive ? 0 : Math.max(0, earlier.size() - 1);
        for (int i = earlier.size() - 1; i >= first; i--) {
            List<String> found = new ArrayList<>();
            if (backward) {
                found.addAll(incompatibilities(candidate, earlier.get(i)));
            }
            if (forward) {
                found.addAll(incompatibilities(earlier.get(i), candidate));
            }
            if (!found.isEmpty()) {
                problems.addAll(found);
                problems.add("{oldSchemaVersion: " + earlierVersions.get(i) + "}");
                problems.add("{compatibility: '" + name() + "'}");
                break;
            }
        }
        return problems;
    }

    private static List<String> incompatibilities(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream().map(Compatibility::describe).toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return "{errorType:'" + incompatibility.getType() + "', description:'" + description(incompatibility)
                + "', additionalInfo:'" + incompatibility.getMessage() + "'}";
    }

    private static String description(Incompatibility incompatibility) {
        String path = incompatibility.getLocation();
        String detail = incompatibility.getMessage();
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + detail + "' at path '" + path
                    + "' in the new schema has no default value and is missing in the old schema";
            case TYPE_MISMATCH -> "The type (path '" + path + "') of a field in the new schema does not match with the old schema";
            case NAME_MISMATCH -> "The name of the schema has changed (path '" + path + "')";
            case MISSING_ENUM_SYMBOLS -> "The new schema is missing enum symbols '" + detail + "' at path '" + path
                    + "' in the old schema";
            case MISSING_UNION_BRANCH -> "The new schema is missing a type inside a union field at path '" + path
                    + "' in the old schema";
            case FIXED_SIZE_MISMATCH -> "The size of FIXED type field at path '" + path
                    + "' in the new schema does not match with the old schema";
            default -> detail + " (path '" + path + "')";
        };
    }
}
