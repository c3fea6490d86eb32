package dev.courier.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventJson;
import dev.courier.codec.EventJsonException;
import dev.courier.config.Suggestions;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.model.Validation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one JSON line of {@code courier produce}: a request event's fields plus {@code key} (text) or
 * {@code keyBase64} for the Kafka key. A line is accepted only if the engine would accept the event; a line that
 * is not is {@link Rejected} with a reason in Courier's words, and with the {@link Hint}s the command explains once
 * at the end rather than on every line. Stateless and thread-safe.
 */
final class RequestLines {

    /** The names of a request line's fields, the Kafka key's first. */
    static final List<String> FIELDS = fields();

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final RequestValidator validator;

    RequestLines(RequestValidator validator) {
        this.validator = validator;
    }

    /** A line that can be sent. */
    record Accepted(byte[] key, RequestSpec request) {
    }

    /** What a command explains once, after the lines it concerns. */
    enum Hint {
        /** A line had a field that requests do not have: list those they do. */
        KNOWN_FIELDS("The fields of a request line are " + String.join(", ", FIELDS) + "."),
        /** A line was a dead letter, as {@code courier consume --topic dead-letters} prints it. */
        DEAD_LETTER("Dead letters are not requests: to send a dead letter's request again, produce its \"request\""
                + " object with its key, e.g. courier consume --topic dead-letters --from-beginning --max 1"
                + " | jq -c '.request + {key}' | courier produce (Courier has no replay command yet)."),
        /** A line was a result, as {@code courier consume --topic results} prints it. */
        RESULT("Results are what Courier publishes after a call; courier produce sends requests.");

        private final String explanation;

        Hint(String explanation) {
            this.explanation = explanation;
        }

        String explanation() {
            return explanation;
        }
    }

    /** A line that cannot be sent: why (without the line number), and what to explain once. */
    static final class Rejected extends IllegalArgumentException {
        private final transient Set<Hint> hints;

        Rejected(String reason, Set<Hint> hints) {
            super(reason);
            this.hints = hints.isEmpty() ? EnumSet.noneOf(Hint.class) : EnumSet.copyOf(hints);
        }

        Rejected(String reason) {
            this(reason, Set.of());
        }

        Set<Hint> hints() {
            return hints;
        }
    }

    /** @throws Rejected saying everything wrong with the line */
    Accepted read(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Rejected(JsonSyntax.describe(line, e));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new Rejected("expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        recogniseOutcomes(object);
        List<String> problems = new ArrayList<>(unknownFields(object));
        Set<Hint> hints = problems.isEmpty() ? Set.of() : Set.of(Hint.KNOWN_FIELDS);
        byte[] key = key(object);
        RequestSpec request = null;
        try {
            request = EventJson.requestFromJson(object);
        } catch (EventJsonException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new Rejected(String.join("; ", problems), hints);
        }
        if (validator.validate(request) instanceof Validation.Invalid invalid) {
            throw new Rejected(invalid.reason());
        }
        return new Accepted(key, request);
    }

    /** A dead letter or a result, as {@code courier consume} prints them, is refused as what it is. */
    private static void recogniseOutcomes(ObjectNode object) {
        if (object.has("id")) {
            return;
        }
        if (object.has("category") && object.has("errorMessage") && object.has("sourceTopic")) {
            throw new Rejected("this is a dead letter (as courier consume --topic dead-letters prints it), not a"
                    + " request", Set.of(Hint.DEAD_LETTER));
        }
        if (object.has("requestId") && object.has("statusCode")) {
            throw new Rejected("this is a result (as courier consume --topic results prints it), not a request",
                    Set.of(Hint.RESULT));
        }
    }

    /** Removes the fields a request line does not have from {@code object} and returns a problem for each. */
    private static List<String> unknownFields(ObjectNode object) {
        List<String> unknown = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        List<String> problems = new ArrayList<>();
        for (String name : unknown) {
            object.remove(name);
            problems.add("unknown field \"" + name + "\"" + Suggestions.nearest(name, FIELDS)
                    .map(nearest -> " (did you mean \"" + nearest + "\"?)").orElse(""));
        }
        return problems;
    }

    /** Removes {@code key} or {@code keyBase64} from {@code object} and returns its bytes, or null for none. */
    private static byte[] key(ObjectNode object) {
        JsonNode text = object.remove("key");
        JsonNode base64 = object.remove("keyBase64");
        if (text != null && base64 != null) {
            throw new Rejected("give key or keyBase64, not both");
        }
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                throw new Rejected("field \"key\" must be a string");
            }
            return text.textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (base64 != null && !base64.isNull()) {
            try {
                return Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new Rejected("field \"keyBase64\" is not valid base64");
            }
        }
        return null;
    }

    private static List<String> fields() {
        List<String> fields = new ArrayList<>(List.of("key", "keyBase64"));
        fields.addAll(EventJson.requestFieldNames());
        return List.copyOf(fields);
    }
}
