package dev.courier.sandbox;

import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's default compatibility rule, BACKWARD: a new schema must be able to read data
 * written with the subject's latest schema. Refusals name each incompatibility the way
 * Confluent's registry does. Stateless.
 */
final class BackwardCompatibility {

    private BackwardCompatibility() {}

    /**
     * @throws RegistryError 409 if {@code candidate} cannot read data written with {@code latest}
     */
    static void require(String subject, Schema candidate, Schema latest, int latestVersion) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        String problems = result.getResult().getIncompatibilities().stream()
                .map(BackwardCompatibility::describe)
                .collect(Collectors.joining(", "));
        throw RegistryError.incompatible(subject,
                "[" + problems + ", {oldSchemaVersion: " + latestVersion + "}, {compatibility: 'BACKWARD'}]");
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
