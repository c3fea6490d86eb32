package dev.courier.publish;

/**
 * The cluster refuses outcomes for good ({@link SendFailures#isPermanent}): an outcome over a topic's size limit
 * even in its minimal form, a topic that is gone, a write that is not authorized, a record the topic cannot take.
 * Sending it again, or redoing its event, would fail the same way.
 */
public final class OutcomesRefusedException extends FatalPublishException {

    /**
     * @param where what was refused, such as "outcomes on topic X"
     * @param why   the cause in words, such as "the record is too large"
     */
    OutcomesRefusedException(String where, String why, Throwable cause) {
        super("the cluster refuses " + where + " for good: " + why + " (" + cause.getMessage() + "); stopping"
                + " without committing, so the event is redone once that is mended", cause);
    }
}
