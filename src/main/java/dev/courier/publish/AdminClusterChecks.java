package dev.courier.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterChecks} by an admin client, made at the first check (checks come only after failures) and closed
 * with this. Each check waits at most {@code timeout} (the commit timeout: a check on the intake thread blocks it no
 * longer than a commit may); whether a topic is gone is remembered for
 * {@link #TOPIC_ANSWER_KEPT}, so a burst of failed outcomes asks once. Thread-safe.
 */
public final class AdminClusterChecks implements ClusterChecks {

    /** How long the answer to "is this topic gone" is reused. */
    static final Duration TOPIC_ANSWER_KEPT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(AdminClusterChecks.class);

    private final Supplier<Admin> admins;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<String, Answer> topics = new ConcurrentHashMap<>();
    private Admin admin;
    private boolean closed;

    private record Answer(boolean gone, long at) {
    }

    /**
     * @param admins  makes the admin client, once
     * @param timeout how long one check may wait for the cluster
     */
    public AdminClusterChecks(Supplier<Admin> admins, Duration timeout) {
        this(admins, timeout, System::nanoTime);
    }

    AdminClusterChecks(Supplier<Admin> admins, Duration timeout, LongSupplier nanoTime) {
        this.admins = admins;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    @Override
    public boolean topicGone(String topic) {
        long now = nanoTime.getAsLong();
        Answer kept = topics.get(topic);
        if (kept != null && now - kept.at() < TOPIC_ANSWER_KEPT.toNanos()) {
            return kept.gone();
        }
        boolean gone;
        try {
            admin().describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            gone = false;
        } catch (ExecutionException e) {
            gone = e.getCause() instanceof UnknownTopicOrPartitionException;
            if (!gone) {
                LOG.debug("Cannot tell whether {} exists: {}", topic, e.getCause().toString());
            }
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.debug("Cannot tell whether {} exists: {}", topic, e.toString());
            gone = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        topics.put(topic, new Answer(gone, now));
        return gone;
    }

    @Override
    public TransactionState transactionState(String transactionalId) {
        try {
            return admin().describeTransactions(List.of(transactionalId),
                    new DescribeTransactionsOptions().timeoutMs((int) timeout.toMillis()))
                    .description(transactionalId).get(timeout.toMillis(), TimeUnit.MILLISECONDS).state();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timedOut) {
                throw timedOut;
            }
            LOG.warn("Cannot describe the transactional id {}: {}", transactionalId, e.getCause().toString());
            return TransactionState.UNKNOWN;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("describing the transactional id " + transactionalId + " took over "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TransactionState.UNKNOWN;
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (admin == null) {
            admin = admins.get();
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
