package dev.courier.engine;

/**
 * The engine, or a command using the clients it builds, cannot go on for a reason the user can act on: Kafka or the
 * schema registry does not answer, a topic is missing, the admin server's port is taken, the status view's state
 * directory cannot be made. Its message is the whole reason, one line naming what to check; commands print it without
 * a stack trace, as they print their own failures.
 */
public final class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
