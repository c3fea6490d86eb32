package dev.courier.publish;

/**
 * Another producer took this instance's transactional id: two instances were given the same
 * {@code courier.transactional-id}, or this one is a zombie that a restarted copy replaced. Either way this
 * instance must stop, since a new producer of its own would fence the other one in turn, and so on forever.
 */
public final class TransactionalIdInUseException extends FatalPublishException {

    TransactionalIdInUseException(String transactionalId, Throwable cause) {
        super("another producer uses the transactional id \"" + transactionalId + "\" and fenced this instance's:"
                + " every instance needs its own courier.transactional-id (for example its pod name); stopping", cause);
    }
}
