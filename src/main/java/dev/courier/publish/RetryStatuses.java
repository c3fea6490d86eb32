package dev.courier.publish;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.dispatch.DispatchListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.model.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@code retrying} status for each event that starts waiting for its next attempt (attempts so far, the last
 * attempt's status and message, when the next is due), so a slow event shows in the status view before its outcome.
 * It hears the dispatcher through the listener it puts before the engine's ({@link #listening}); an event whose first
 * attempt succeeds costs it one failed type check and one map lookup.
 *
 * <p>The dispatch thread, which must not block, only hands the wait over: one thread of this class sends the records,
 * the latest wait of each event once, through the {@link Sink} (the publisher, into the open transaction in
 * exactly-once mode). At most {@link #CAPACITY} waits are queued; past it a wait is not written (the event's outcome
 * brings its status anyway). Order per event holds: before an event's outcome goes to the publisher (whose status then
 * follows), any retrying status of it being sent has been handed to the producer, and none is sent after; an event
 * abandoned (left for the next owner) gets none after it.
 *
 * <p>Thread-safe. {@link #close} stops the sending thread; close it before the publisher.
 */
public final class RetryStatuses implements AutoCloseable {

    /** The most waits queued for sending. */
    static final int CAPACITY = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(RetryStatuses.class);

    /** Where the records go: the publisher. */
    @FunctionalInterface
    public interface Sink {

        /** Sends {@code record}, a status of the event from {@code origin}; may block until it can. */
        void send(Origin origin, ProducerRecord<byte[], byte[]> record) throws InterruptedException;
    }

    private final StatusRecords records;
    private final Sink sink;
    private final IntPredicate success;
    private final Clock clock;
    private final ConcurrentHashMap<Source, Waits> events = new ConcurrentHashMap<>();
    private final BlockingQueue<Waits> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread sender;
    private volatile boolean closed;

    /**
     * Starts the sending thread.
     *
     * @param success the HTTP statuses that end an event with a result ({@code courier.http.success-statuses})
     */
    public RetryStatuses(StatusRecords records, Sink sink, IntPredicate success, Clock clock) {
        this.records = records;
        this.sink = sink;
        this.success = success;
        this.clock = clock;
        this.sender = new Thread(this::sendAll, "courier-status-retrying");
        sender.setDaemon(true);
        sender.start();
    }

    /** {@code listener}, with this class hearing first what it needs. */
    public DispatchListener<Origin> listening(DispatchListener<Origin> listener) {
        return new Listening(listener);
    }

    /** The retrying waits of one event, and the lock its sends hold. */
    private static final class Waits {

        final Origin origin;
        /** Held while one of its records is sent; taken by its outcome to wait for that send. */
        final Object sending = new Object();
        /** The wait to send next, or null. */
        final AtomicReference<Wait> due = new AtomicReference<>();
        volatile boolean closed;
        // guarded by this: written by the worker of each attempt, read by the dispatch thread when it schedules the next
        private Instant firstAttemptAt;
        private Instant lastAttemptAt;
        private Integer statusCode;
        private String message;

        Waits(Origin origin) {
            this.origin = origin;
        }

        synchronized Wait next(int attempts, Instant nextAttemptAt) {
            return new Wait(attempts, firstAttemptAt, lastAttemptAt, statusCode, message, nextAttemptAt);
        }

        synchronized void attempted(AttemptResult result) {
            if (firstAttemptAt == null) {
                firstAttemptAt = result.startedAt();
            }
            lastAttemptAt = result.startedAt();
            if (result instanceof AttemptResult.Response response) {
                statusCode = response.status();
                message = null;
            } else {
                message = ((AttemptResult.Failure) result).message();
            }
        }
    }

    /** One wait for a next attempt. */
    private record Wait(int attempts, Instant firstAttemptAt, Instant lastAttemptAt, Integer statusCode,
            String message, Instant nextAttemptAt) {
    }

    private final class Listening implements DispatchListener<Origin> {

        private final DispatchListener<Origin> listener;

        Listening(DispatchListener<Origin> listener) {
            this.listener = listener;
        }

        @Override
        public void onAttempt(Origin origin, DispatchRequest request, int attempt, AttemptResult result) {
            if (!(result instanceof AttemptResult.Response response && success.test(response.status()))) {
                waitsOf(origin).attempted(result);
            }
            listener.onAttempt(origin, request, attempt, result);
        }

        @Override
        public void onRetryScheduled(Origin origin, DispatchRequest request, int attempt, Duration delay) {
            retryScheduled(origin, attempt - 1, delay);
            listener.onRetryScheduled(origin, request, attempt, delay);
        }

        @Override
        public void onOutcome(Origin origin, DispatchRequest request, Outcome outcome) {
            settle(origin);
            listener.onOutcome(origin, request, outcome);
        }

        @Override
        public void onOutcomeFailed(Origin origin, Throwable error) {
            forget(origin);
            listener.onOutcomeFailed(origin, error);
        }

        @Override
        public void onAbandoned(Origin origin) {
            forget(origin);
            listener.onAbandoned(origin);
        }

        @Override
        public void onRateLimited(Origin origin, DispatchRequest request, String key, Duration waited) {
            listener.onRateLimited(origin, request, key, waited);
        }
    }

    private Waits waitsOf(Origin origin) {
        return events.compute(origin.source(), (source, known) -> {
            if (known != null && known.origin.epoch() == origin.epoch()) {
                return known;
            }
            if (known != null) {
                known.closed = true; // an earlier epoch's event, redone since
            }
            return new Waits(origin);
        });
    }

    /** The event's next attempt is due after {@code delay}: its wait is queued. Dispatch thread; never blocks. */
    void retryScheduled(Origin origin, int attempts, Duration delay) {
        if (closed || origin.request() == null) {
            return;
        }
        Waits waits = waitsOf(origin);
        waits.due.set(waits.next(attempts, clock.instant().plus(delay)));
        if (!queue.offer(waits)) {
            LOG.debug("{} retry waits are queued already; the wait of {} is not written", CAPACITY, origin.source());
        }
    }

    /**
     * The event's outcome is about to be published: no retrying status of it is sent from now on, and one being sent
     * has been handed to the producer when this returns. Worker thread; waits at most for that one send.
     */
    void settle(Origin origin) {
        Waits waits = remove(origin);
        if (waits != null) {
            waits.closed = true;
            synchronized (waits.sending) {
                waits.due.set(null);
            }
        }
    }

    /** The event gets no outcome here (it was abandoned): no retrying status of it is sent from now on. Never blocks. */
    void forget(Origin origin) {
        Waits waits = remove(origin);
        if (waits != null) {
            waits.closed = true;
        }
    }

    /** Removes the waits of the event from {@code origin}, unless they are of the event redone since; null if none. */
    private Waits remove(Origin origin) {
        Waits[] removed = new Waits[1];
        events.computeIfPresent(origin.source(), (source, known) -> {
            if (known.origin.epoch() != origin.epoch()) {
                return known;
            }
            removed[0] = known;
            return null;
        });
        return removed[0];
    }

    private void sendAll() {
        while (!closed) {
            Waits waits;
            try {
                waits = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                synchronized (waits.sending) {
                    Wait wait = waits.due.getAndSet(null);
                    if (wait != null && !waits.closed && !closed) {
                        sink.send(waits.origin, records.retrying(waits.origin, wait.attempts(), wait.firstAttemptAt(),
                                wait.lastAttemptAt(), wait.statusCode(), wait.message(), wait.nextAttemptAt()));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SchemaRegistryException | RuntimeException e) {
                LOG.debug("The retrying status of {} was not written: {}", waits.origin.source(), e.toString());
            }
        }
    }

    /**
     * Stops sending: waits still queued are not written, and the sending thread ends as soon as a send it is in
     * returns (a send to a closed publisher fails at once). Returns at once; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        queue.clear();
        events.clear();
    }
}
