package dev.courier.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.avro.RequestEvent;
import dev.courier.model.RequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Events as JSON, for people: {@code courier produce} reads request events from JSON lines and
 * {@code courier consume} prints events as JSON. Both directions walk the Avro schema, so a
 * field added to a schema is handled without code here.
 *
 * <p>Mapping: field names as in the schema; null fields omitted; maps as objects; enums as
 * their symbol; records as nested objects; timestamps as ISO-8601 strings with milliseconds
 * ({@code 2026-11-21T10:15:30.123Z}); a bytes field {@code x} as {@code "xBase64"} (standard
 * base64), except {@code body}, printed as {@code "body"} text when it is valid UTF-8 and as
 * {@code "bodyBase64"} otherwise. {@code requestFromJson(toJson(r))} equals {@code r}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventJson {
    private EventJson() {}

    /** Returns a request as a JSON object; {@link #requestFromJson} reads it back unchanged. */
    public static ObjectNode toJson(RequestSpec request) {
        return toJson(RequestMapping.toEvent(request));
    }

    /**
     * Reads a request, strictly; see {@link #requestEventFromJson}.
     *
     * @throws EventJsonException listing every problem of the object
     */
    public static RequestSpec requestFromJson(ObjectNode json) throws EventJsonException {
        return RequestMapping.toSpec(requestEventFromJson(json));
    }

    /**
     * Every field name a request event may have in JSON, in schema order ({@code body} and {@code bodyBase64} both);
     * {@link #requestFromJson} refuses any other.
     */
    public static List<String> requestFieldNames() {
        return JsonFieldNames.jsonNames(RequestEvent.getClassSchema());
    }

    /** Returns any generated event (request, result, dead letter) as a JSON object. */
    static ObjectNode toJson(SpecificRecord event) {
        Objects.requireNonNull(event, "event");
        return new AvroToJson(SpecificData.getForClass(event.getClass())).record(event);
    }

    /**
     * Reads a request event, strictly. Besides the mapping above it accepts {@code deadline} as
     * epoch milliseconds and ISO-8601 instants with any offset (sub-millisecond digits dropped).
     * Absent fields take their schema default; {@code id} is required and must not be blank.
     * HTTP-level rules (methods, URLs, targets) are not checked here.
     *
     * @throws EventJsonException listing every problem: unknown fields (with the nearest known
     *     name), wrong JSON types, numbers out of range, invalid base64, body given twice
     */
    static RequestEvent requestEventFromJson(ObjectNode json) throws EventJsonException {
        Objects.requireNonNull(json, "json");
        JsonToAvro reader = new JsonToAvro(SpecificData.getForClass(RequestEvent.class));
        IndexedRecord request = reader.record(RequestEvent.getClassSchema(), json, "");
        List<String> problems = new ArrayList<>(reader.problems());
        JsonNode id = json.get("id");
        if (id != null && id.isTextual() && id.textValue().isBlank()) {
            problems.add("field \"id\" must not be empty");
        }
        if (!problems.isEmpty()) {
            throw new EventJsonException(problems);
        }
        return (RequestEvent) request;
    }

    /** Reads any generated event class; what {@link #requestEventFromJson} does minus its id rule. */
    static <T extends SpecificRecord> T fromJson(ObjectNode json, Class<T> type)
            throws EventJsonException {
        SpecificData model = SpecificData.getForClass(type);
        JsonToAvro reader = new JsonToAvro(model);
        IndexedRecord event = reader.record(model.getSchema(type), json, "");
        if (!reader.problems().isEmpty()) {
            throw new EventJsonException(reader.problems());
        }
        return type.cast(event);
    }
}
