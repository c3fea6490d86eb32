package dev.courier.ops;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One warning per dead letter, with the event's {@code requestId} and {@code correlationId} as fields of the log
 * line (SLF4J's MDC), rate-limited: a burst of {@value #BURST} goes out at once, then one a second; the warnings
 * held back are counted, and the next warning that goes out says how many. The caller passes only what is safe to
 * log: ids, the category, the status, and the message as the dead letter stores it (redacted); never a header or a
 * body. Thread-safe.
 */
public final class DeadLetterLog {

    static final int BURST = 10;
    private static final long NANOS_PER_WARNING = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    private final LongSupplier nanoTime;
    private final Logger log;
    /** The nano time at which the bucket is empty: it refills one warning per second, up to {@link #BURST}. */
    private long emptyAt;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong suppressedTotal = new AtomicLong();

    public DeadLetterLog() {
        this(System::nanoTime, LOG);
    }

    DeadLetterLog(LongSupplier nanoTime, Logger log) {
        this.nanoTime = nanoTime;
        this.log = log;
        this.emptyAt = nanoTime.getAsLong() - BURST * NANOS_PER_WARNING;
    }

    /**
     * A dead letter was published.
     *
     * @param requestId     the event's id; null when the record could not be decoded
     * @param correlationId the event's correlation id, or null
     * @param source        where the record was read ({@code topic-partition@offset})
     * @param lastStatus    the last HTTP status, or null
     * @param message       the dead letter's error message, already redacted as it is stored
     */
    public void deadLetter(String requestId, String correlationId, String category, Integer lastStatus, int attempts,
            String source, String message) {
        if (!take()) {
            suppressed.incrementAndGet();
            suppressedTotal.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        putIfPresent("requestId", requestId);
        putIfPresent("correlationId", correlationId);
        try {
            log.warn("Dead letter {} for request {} from {} after {} attempt{}{}: {}{}", category,
                    requestId == null ? "(not decodable)" : requestId, source, attempts, attempts == 1 ? "" : "s",
                    lastStatus == null ? "" : ", last status " + lastStatus, message,
                    held == 0 ? "" : " (" + held + " more dead letter" + (held == 1 ? " was" : "s were")
                            + " not logged since the last warning)");
        } finally {
            MDC.remove("requestId");
            MDC.remove("correlationId");
        }
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /** Warnings held back by the rate limit since start. */
    public long suppressedTotal() {
        return suppressedTotal.get();
    }

    private synchronized boolean take() {
        long now = nanoTime.getAsLong();
        long floor = now - BURST * NANOS_PER_WARNING;
        if (emptyAt < floor) {
            emptyAt = floor;
        }
        if (emptyAt + NANOS_PER_WARNING > now) {
            return false;
        }
        emptyAt += NANOS_PER_WARNING;
        return true;
    }
}
