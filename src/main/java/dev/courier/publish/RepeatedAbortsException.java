package dev.courier.publish;

/**
 * The outcomes of one partition of the requests topic were in {@link AbortStreaks#LIMIT} transactions in a row that
 * aborted, with no commit of the partition in between: each abort redoes the partition's events, and calls their
 * targets again. Stopping ends that; a restart redoes them once more.
 */
public final class RepeatedAbortsException extends FatalPublishException {

    RepeatedAbortsException(String partition, int aborts, Throwable last) {
        super("the outcomes of " + partition + " were in " + aborts + " transactions in a row that aborted (the last"
                + (last == null ? "" : " for: " + last.getMessage()) + "); stopping rather than calling their targets"
                + " again and again", last);
    }
}
