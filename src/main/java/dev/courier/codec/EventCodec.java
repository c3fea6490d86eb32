package dev.courier.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.ResultEvent;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.Outcome;
import dev.courier.model.Redactor;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestStatus;
import dev.courier.model.StoredDeadLetter;
import java.util.Objects;

/**
 * Courier's events as Kafka record values in the Confluent wire format, in the model's terms: the
 * one way the rest of Courier reads and writes events. Thread-safe; build one and share it.
 */
public final class EventCodec {

    private final EventSerde serde;
    private final Redactor redactor;

    private EventCodec(EventSerde serde, Redactor redactor) {
        this.serde = serde;
        this.redactor = redactor;
    }

    /**
     * A codec that redacts outcomes with the default {@code courier.redact.query-params}.
     *
     * @param autoRegister true to register Courier's schemas under {@code <topic>-value} on first use;
     *                     false to write with the subject's latest version, which must be the same schema
     */
    public static EventCodec create(SchemaRegistryClient registry, boolean autoRegister) {
        return create(registry, autoRegister, Redactor.defaults());
    }

    /**
     * @param redactor hides credentials in the results and dead letters this codec writes (requests are written as
     *                 they are: they go to the target)
     */
    public static EventCodec create(SchemaRegistryClient registry, boolean autoRegister, Redactor redactor) {
        return new EventCodec(EventSerde.create(Objects.requireNonNull(registry, "registry"), autoRegister),
                Objects.requireNonNull(redactor, "redactor"));
    }

    /**
     * @throws DecodeException         when the value is not a request event; permanent for this record
     * @throws SchemaRegistryException when the registry cannot be asked; transient, try again later
     */
    public RequestSpec decodeRequest(String topic, byte[] value) throws DecodeException, SchemaRegistryException {
        return RequestMapping.toSpec(serde.decode(topic, value, dev.courier.avro.RequestEvent.class));
    }

    /** @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only) */
    public byte[] encodeRequest(String topic, RequestSpec request) throws SchemaRegistryException {
        return serde.encode(topic, RequestMapping.toEvent(request));
    }

    /**
     * A result for {@code request}, whose call went to {@code targetHost}; its response headers redacted.
     *
     * @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only)
     */
    public byte[] encodeResult(String topic, RequestSpec request, String targetHost, Outcome.Result result)
            throws SchemaRegistryException {
        return serde.encode(topic, OutcomeMapping.result(request, targetHost, result, redactor));
    }

    /**
     * A dead letter; its request's credentials and the URLs in its error message redacted.
     *
     * @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only)
     */
    public byte[] encodeDeadLetter(String topic, DeadLetterEntry entry) throws SchemaRegistryException {
        return serde.encode(topic, OutcomeMapping.deadLetter(entry, redactor));
    }

    /**
     * Registers (or, without auto-registration, looks up) the schemas of results and dead letters for
     * their topics, so a registry that cannot be reached is found at start rather than at the first outcome.
     *
     * @throws SchemaRegistryException naming the registry and subject that failed
     */
    public void prepareOutcomes(String resultsTopic, String deadLettersTopic) throws SchemaRegistryException {
        serde.prepare(resultsTopic, dev.courier.avro.ResultEvent.getClassSchema(), dev.courier.avro.ResultEvent.class);
        serde.prepare(deadLettersTopic, dev.courier.avro.DeadLetterEvent.getClassSchema(),
                dev.courier.avro.DeadLetterEvent.class);
    }

    /**
     * A status for the status topic: what became of a request so far. Its message is redacted as a dead letter's is,
     * and cut short.
     *
     * @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only)
     */
    public byte[] encodeStatus(String topic, RequestStatus status) throws SchemaRegistryException {
        return serde.encode(topic, StatusMapping.toEvent(status, redactor));
    }

    /**
     * Registers (or, without auto-registration, looks up) the schema of statuses for {@code statusTopic}, so a
     * registry that cannot be reached is found at start rather than at the first status.
     *
     * @throws SchemaRegistryException naming the registry and subject that failed
     */
    public void prepareStatuses(String statusTopic) throws SchemaRegistryException {
        serde.prepare(statusTopic, dev.courier.avro.StatusEvent.getClassSchema(), dev.courier.avro.StatusEvent.class);
    }

    /**
     * A status read back from the status topic.
     *
     * @throws DecodeException         when the value is not a status, or one in a state this version does not know
     * @throws SchemaRegistryException when the registry cannot be asked
     */
    public RequestStatus decodeStatus(String topic, byte[] value) throws DecodeException, SchemaRegistryException {
        dev.courier.avro.StatusEvent event = serde.decode(topic, value, dev.courier.avro.StatusEvent.class);
        try {
            return StatusMapping.toStatus(event);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(DecodeException.Reason.MALFORMED, WireFormat.readSchemaId(topic, value),
                    "status on topic \"" + topic + "\": " + e.getMessage(), e);
        }
    }

    /**
     * A dead letter read back from its topic.
     *
     * @throws DecodeException         when the value is not a dead letter
     * @throws SchemaRegistryException when the registry cannot be asked
     */
    public StoredDeadLetter decodeDeadLetter(String topic, byte[] value)
            throws DecodeException, SchemaRegistryException {
        DeadLetterEvent event = serde.decode(topic, value, DeadLetterEvent.class);
        return new StoredDeadLetter(event.getRequestId(),
                event.getRequest() == null ? null : RequestMapping.toSpec(event.getRequest()),
                event.getCategory().name(), event.getLastStatusCode(), event.getErrorMessage(), event.getFailedAt(),
                event.getReplayCount());
    }

    /**
     * The request id of a result read back from its topic.
     *
     * @throws DecodeException         when the value is not a result
     * @throws SchemaRegistryException when the registry cannot be asked
     */
    public String decodeResultRequestId(String topic, byte[] value) throws DecodeException, SchemaRegistryException {
        return serde.decode(topic, value, ResultEvent.class).getRequestId();
    }

    /**
     * Any event as JSON, in the mapping {@link EventJson} describes.
     *
     * @throws DecodeException         when the value is not an event of {@code type}
     * @throws SchemaRegistryException when the registry cannot be asked
     */
    public ObjectNode decodeToJson(String topic, byte[] value, EventType type)
            throws DecodeException, SchemaRegistryException {
        return EventJson.toJson(serde.decode(topic, value, type.generatedClass()));
    }
}
