package dev.courier.intake;

/** The intake loop stopped because something it depends on failed; the cause says what. */
public final class IntakeFailedException extends RuntimeException {

    IntakeFailedException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
