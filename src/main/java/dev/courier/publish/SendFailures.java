package dev.courier.publish;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * How a failed send of an outcome is classified, the same way in both guarantees. <b>Permanent</b>: the cluster
 * refuses the record or the topic for good, and sending it again or redoing its event fails the same way (too large
 * even in the minimal form, not authorized, a topic that is gone or cannot take the record, an unsupported broker);
 * Courier stops, exit code 1, without committing. <b>Retriable</b> (Kafka's {@code RetriableException}: the broker
 * does not answer, a leader moves): at-least-once sends it again, exactly-once aborts and redoes the transaction,
 * bounded by {@link AbortStreaks}. A timeout or an unknown topic is retriable unless the cluster says the topic is
 * gone ({@link ClusterChecks#topicGone}), since it existed at start.
 */
final class SendFailures {

    private SendFailures() {
    }

    /**
     * Whether {@code error} refuses the outcome for good. A {@link RecordTooLargeException} is permanent only once the
     * outcome is in its minimal form (see {@link OutcomeRecords#refused}); the caller says so with {@code minimal}.
     */
    static boolean isPermanent(Throwable error, boolean minimal) {
        return error instanceof RecordTooLargeException ? minimal
                : error instanceof AuthorizationException
                        || error instanceof RecordBatchTooLargeException
                        || error instanceof InvalidTopicException
                        || error instanceof InvalidRecordException
                        || error instanceof UnsupportedVersionException
                        || error instanceof UnsupportedForMessageFormatException
                        || error instanceof InvalidConfigurationException;
    }

    /** Whether {@code error} may mean the topic is gone: the cluster is asked before it is taken as retriable. */
    static boolean mayMeanTopicGone(Throwable error) {
        return error instanceof TimeoutException || error instanceof UnknownTopicOrPartitionException;
    }

    /** The cause of a permanent failure in words, for the message that stops Courier. */
    static String why(Throwable error) {
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return "the outcome is too large for the topic even in its minimal form (check the topic's"
                    + " max.message.bytes)";
        }
        if (error instanceof AuthorizationException) {
            return "Courier is not authorized to write to it (check the ACLs of its Kafka principal)";
        }
        if (mayMeanTopicGone(error)) {
            return "the topic does not exist any more (it was deleted while Courier ran)";
        }
        if (error instanceof InvalidRecordException) {
            return "the topic cannot take the record (a compacted topic refuses records without a key)";
        }
        return "the broker does not support what Courier sends, or refuses its configuration";
    }
}
