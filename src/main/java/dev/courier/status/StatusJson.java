package dev.courier.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * A {@link RequestStatus} as JSON: the body of {@code GET /requests/{id}} and the values of the view's store and
 * topics. Field names as in the record, {@code state} lower-case, times as ISO-8601 instants, null fields omitted;
 * {@code request} and {@code outcome} are objects {@code {"topic", "partition", "offset"}}. Stateless and
 * thread-safe.
 */
final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /** The status as a JSON object. */
    static ObjectNode toJson(RequestStatus status) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", status.id());
        json.put("state", status.state().name().toLowerCase(Locale.ROOT));
        if (status.statusCode() != null) {
            json.put("statusCode", status.statusCode());
        }
        if (status.attempts() != null) {
            json.put("attempts", status.attempts());
        }
        if (status.category() != null) {
            json.put("category", status.category());
        }
        if (status.errorMessage() != null) {
            json.put("errorMessage", status.errorMessage());
        }
        json.put("replayCount", status.replayCount());
        time(json, "requestedAt", status.requestedAt());
        time(json, "firstAttemptAt", status.firstAttemptAt());
        time(json, "lastAttemptAt", status.lastAttemptAt());
        time(json, "completedAt", status.completedAt());
        time(json, "updatedAt", status.updatedAt());
        location(json, "request", status.request());
        location(json, "outcome", status.outcome());
        return json;
    }

    /** The status as JSON text. */
    static String toText(RequestStatus status) {
        return toJson(status).toString();
    }

    /**
     * Reads what {@link #toText} wrote.
     *
     * @throws IllegalArgumentException when {@code bytes} are not such a status
     */
    static RequestStatus fromBytes(byte[] bytes) {
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a request status: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject() || !json.hasNonNull("id") || !json.hasNonNull("state")) {
            throw new IllegalArgumentException("not a request status: " + json);
        }
        return new RequestStatus(json.get("id").asText(),
                RequestStatus.State.valueOf(json.get("state").asText().toUpperCase(Locale.ROOT)),
                json.path("replayCount").asInt(0), instant(json, "requestedAt"), location(json, "request"),
                integer(json, "statusCode"), integer(json, "attempts"), instant(json, "firstAttemptAt"),
                instant(json, "lastAttemptAt"), instant(json, "completedAt"), text(json, "category"),
                text(json, "errorMessage"), location(json, "outcome"), instant(json, "updatedAt"));
    }

    static byte[] toBytes(RequestStatus status) {
        try {
            return MAPPER.writeValueAsBytes(toJson(status));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void time(ObjectNode json, String name, Instant time) {
        if (time != null) {
            json.put(name, time.toString());
        }
    }

    private static void location(ObjectNode json, String name, RequestStatus.Location location) {
        if (location != null) {
            ObjectNode node = json.putObject(name);
            node.put("topic", location.topic());
            node.put("partition", location.partition());
            node.put("offset", location.offset());
        }
    }

    private static Instant instant(JsonNode json, String name) {
        return json.hasNonNull(name) ? Instant.parse(json.get(name).asText()) : null;
    }

    private static Integer integer(JsonNode json, String name) {
        return json.hasNonNull(name) ? json.get(name).asInt() : null;
    }

    private static String text(JsonNode json, String name) {
        return json.hasNonNull(name) ? json.get(name).asText() : null;
    }

    private static RequestStatus.Location location(JsonNode json, String name) {
        JsonNode node = json.get(name);
        return node == null || !node.isObject() ? null : new RequestStatus.Location(node.path("topic").asText(),
                node.path("partition").asInt(), node.path("offset").asLong());
    }
}
