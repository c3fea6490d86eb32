package dev.courier.cli;

/**
 * A command could not do what was asked, for a reason the user can act on. Its message is printed as
 * the command's one-line reason, without a stack trace.
 */
public final class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
