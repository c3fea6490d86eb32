package dev.courier.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.model.RequestStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * A {@link RequestStatus} as the JSON body of {@code GET /requests/{id}}: {@code id}, {@code state} lower-case,
 * {@code statusCode}, {@code attempts} (left out while pending), {@code category}, {@code errorMessage},
 * {@code replayCount}, the times as ISO-8601 instants ({@code completedAt} is when the outcome was written, so it is
 * {@code updatedAt} once succeeded or failed), and {@code request} and {@code outcome} as objects {@code {"topic",
 * "partition", "offset"}}; fields without a value are left out. Stateless and thread-safe.
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
        if (status.state() != RequestStatus.State.PENDING) {
            json.put("attempts", status.attempts());
        }
        if (status.category() != null) {
            json.put("category", status.category());
        }
        if (status.message() != null) {
            json.put("errorMessage", status.message());
        }
        json.put("replayCount", status.replayCount());
        time(json, "requestedAt", status.requestedAt());
        time(json, "firstAttemptAt", status.firstAttemptAt());
        time(json, "lastAttemptAt", status.lastAttemptAt());
        time(json, "nextAttemptAt", status.nextAttemptAt());
        time(json, "completedAt", status.state().isFinal() ? status.updatedAt() : null);
        time(json, "updatedAt", status.updatedAt());
        position(json, "request", status.request());
        position(json, "outcome", status.outcome());
        return json;
    }

    /** The status as JSON text. */
    static String toText(RequestStatus status) {
        return toJson(status).toString();
    }

    private static void time(ObjectNode json, String name, Instant time) {
        if (time != null) {
            json.put(name, time.toString());
        }
    }

    private static void position(ObjectNode json, String name, RequestStatus.Position position) {
        if (position != null) {
            ObjectNode node = json.putObject(name);
            node.put("topic", position.topic());
            if (position.partition() != null) {
                node.put("partition", position.partition());
            }
            if (position.offset() != null) {
                node.put("offset", position.offset());
            }
        }
    }
}
