package dev.courier.publish;

/**
 * The open transaction was aborted: every outcome sent in it is discarded, and the events whose outcomes
 * they were must be redone from the last committed offsets.
 */
public final class TransactionAbortedException extends Exception {

    TransactionAbortedException(Throwable cause) {
        super(cause == null ? "the transaction was abandoned" : "the transaction was aborted: " + cause.getMessage(),
                cause);
    }
}
