package dev.courier.codec;

import dev.courier.avro.RecordPosition;
import dev.courier.avro.RequestState;
import dev.courier.avro.StatusEvent;
import dev.courier.model.Redactor;
import dev.courier.model.RequestStatus;

/**
 * Builds the status topic's generated event from the model's {@link RequestStatus} and back. Its message is redacted
 * as a dead letter's is ({@link Redactor#text}), then cut to {@link #MESSAGE_LENGTH} characters.
 */
final class StatusMapping {

    /** The most characters of a status's message kept. */
    static final int MESSAGE_LENGTH = 200;

    private StatusMapping() {
    }

    static StatusEvent toEvent(RequestStatus status, Redactor redactor) {
        return StatusEvent.newBuilder()
                .setRequestId(status.id())
                .setState(RequestState.valueOf(status.state().name()))
                .setReplayCount(status.replayCount())
                .setStatusCode(status.statusCode())
                .setAttempts(status.attempts())
                .setCategory(status.category() == null ? null
                        : dev.courier.avro.FailureCategory.valueOf(status.category()))
                .setMessage(cut(redactor.text(status.message())))
                .setRequestedAt(status.requestedAt())
                .setFirstAttemptAt(status.firstAttemptAt())
                .setLastAttemptAt(status.lastAttemptAt())
                .setNextAttemptAt(status.nextAttemptAt())
                .setUpdatedAt(status.updatedAt())
                .setRequest(position(status.request()))
                .setOutcome(position(status.outcome()))
                .build();
    }

    /**
     * The model's status of {@code event}.
     *
     * @throws IllegalArgumentException for a state this version does not know
     */
    static RequestStatus toStatus(StatusEvent event) {
        if (event.getState() == RequestState.UNKNOWN) {
            throw new IllegalArgumentException("a status in a state this version of Courier does not know");
        }
        return new RequestStatus(event.getRequestId(), RequestStatus.State.valueOf(event.getState().name()),
                event.getReplayCount(), event.getStatusCode(), event.getAttempts(),
                event.getCategory() == null ? null : event.getCategory().name(), event.getMessage(),
                event.getRequestedAt(), event.getFirstAttemptAt(), event.getLastAttemptAt(), event.getNextAttemptAt(),
                event.getUpdatedAt(), position(event.getRequest()), position(event.getOutcome()));
    }

    private static String cut(String message) {
        return message == null || message.length() <= MESSAGE_LENGTH ? message
                : message.substring(0, MESSAGE_LENGTH - 1) + "…";
    }

    private static RecordPosition position(RequestStatus.Position position) {
        return position == null ? null
                : new RecordPosition(position.topic(), position.partition(), position.offset());
    }

    private static RequestStatus.Position position(RecordPosition position) {
        return position == null ? null
                : new RequestStatus.Position(position.getTopic(), position.getPartition(), position.getOffset());
    }
}
