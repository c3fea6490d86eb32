package dev.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventJson;
import dev.courier.codec.EventJsonException;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.model.Validation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads one JSON line of {@code courier produce}: a request event's fields plus {@code key} (text) or
 * {@code keyBase64} for the Kafka key. A line is accepted only if the engine would accept the event.
 * Stateless and thread-safe.
 */
final class RequestLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestValidator validator;

    RequestLines(RequestValidator validator) {
        this.validator = validator;
    }

    /** A line that can be sent. */
    record Accepted(byte[] key, RequestSpec request) {
    }

    /** @throws IllegalArgumentException saying everything wrong with the line */
    Accepted read(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        byte[] key = key(object);
        RequestSpec request;
        try {
            request = EventJson.requestFromJson(object);
        } catch (EventJsonException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (validator.validate(request) instanceof Validation.Invalid invalid) {
            throw new IllegalArgumentException(invalid.reason());
        }
        return new Accepted(key, request);
    }

    /** Removes {@code key} or {@code keyBase64} from {@code object} and returns its bytes, or null for none. */
    private static byte[] key(ObjectNode object) {
        JsonNode text = object.remove("key");
        JsonNode base64 = object.remove("keyBase64");
        if (text != null && base64 != null) {
            throw new IllegalArgumentException("give key or keyBase64, not both");
        }
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                throw new IllegalArgumentException("field \"key\" must be a string");
            }
            return text.textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (base64 != null && !base64.isNull()) {
            try {
                return Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field \"keyBase64\" is not valid base64");
            }
        }
        return null;
    }
}
