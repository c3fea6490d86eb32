package dev.courier.ops;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an admin endpoint answers.
 *
 * @param status      the HTTP status
 * @param contentType the media type of {@code body}
 * @param body        the body; may be empty
 */
public record AdminResponse(int status, String contentType, byte[] body) {

    public AdminResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A JSON answer; {@code json} must be a JSON document already. */
    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON error: {@code {"error": message}}. */
    public static AdminResponse error(int status, String message) {
        return json(status, "{\"error\":" + Json.string(message) + "}");
    }
}
