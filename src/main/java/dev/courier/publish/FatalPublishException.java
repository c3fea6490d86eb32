package dev.courier.publish;

import org.apache.kafka.common.KafkaException;

/**
 * Publishing cannot go on, and the engine must stop without committing (exit 1), saying why; a restart redoes the
 * events whose outcomes were not committed, once the cause is mended.
 */
public abstract class FatalPublishException extends KafkaException {

    FatalPublishException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first {@link FatalPublishException} in {@code error}'s causes (the consumer wraps what its callbacks throw). */
    public static FatalPublishException in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof FatalPublishException fatal) {
                return fatal;
            }
        }
        return null;
    }
}
