package dev.courier.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Set;

/**
 * Turns what went wrong in a registry call into a {@link SchemaRegistryException} of the right
 * kind, with a message naming the registry URL and what was being done ("fetching schema id 7").
 */
final class RegistryFailures {
    /** Confluent's codes for subject, version and schema not found. */
    private static final Set<Integer> NOT_FOUND_CODES = Set.of(40401, 40402, 40403);
    private static final int MAX_BODY_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    RegistryFailures(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** @param limit the time the request was allowed */
    SchemaRegistryException unreachable(IOException e, Duration limit, String doing) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE,
                "schema registry " + baseUrl + " is unreachable (" + describe(e, limit) + ") while " + doing,
                0, 0, e);
    }

    /** The whole answer did not arrive within {@code limit}. */
    SchemaRegistryException timedOut(Duration limit, String doing) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE,
                "schema registry " + baseUrl + " is unreachable (no answer within " + limit.toMillis()
                        + " ms) while " + doing, 0, 0, null);
    }

    SchemaRegistryException interrupted(InterruptedException e, String doing) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE,
                "interrupted while " + doing + " from schema registry " + baseUrl, 0, 0, e);
    }

    SchemaRegistryException badAnswer(String what, String doing) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.REFUSED,
                "schema registry " + baseUrl + " answered with " + what + " while " + doing, 0, 0, null);
    }

    /** A non-2xx answer; {@code body} may be Confluent's {"error_code":N,"message":"..."}. */
    SchemaRegistryException errorAnswer(int status, String body, String doing) {
        int errorCode = 0;
        String detail = null;
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                errorCode = error.path("error_code").asInt(0);
                detail = error.path("message").isTextual() ? error.path("message").textValue() : null;
            }
        } catch (IOException notJson) {
            // detail stays the raw body below
        }
        SchemaRegistryException.Kind kind;
        String hint = "";
        if (status == 404 && NOT_FOUND_CODES.contains(errorCode)) {
            kind = SchemaRegistryException.Kind.NOT_FOUND;
        } else if (status >= 500 || status == 408 || status == 429) {
            kind = SchemaRegistryException.Kind.UNAVAILABLE;
        } else {
            kind = SchemaRegistryException.Kind.REFUSED;
            if (status == 404) {
                hint = "; no Confluent error code, so the URL may not point at a schema registry";
            }
        }
        StringBuilder message = new StringBuilder("schema registry ").append(baseUrl)
                .append(" answered HTTP ").append(status);
        if (errorCode != 0 || detail != null) {
            message.append(" (error_code ").append(errorCode).append(": ")
                    .append(detail == null ? "no message" : detail).append(')');
        } else if (body != null && !body.isBlank()) {
            message.append(" (").append(abbreviate(body)).append(')');
        }
        message.append(" while ").append(doing).append(hint);
        return new SchemaRegistryException(kind, message.toString(), status, errorCode, null);
    }

    private static String describe(IOException e, Duration limit) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + limit.toMillis() + " ms";
        }
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return "host not found";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_BODY_CHARS ? line : line.substring(0, MAX_BODY_CHARS) + "...";
    }
}
