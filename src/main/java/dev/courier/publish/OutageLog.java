package dev.courier.publish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a stretch of failures that Courier rides out (the cluster or the registry does not answer) once when
 * it begins, again at most every {@link #REPEAT} while it lasts, and once when it is over, so a long outage
 * does not flood the log. Thread-safe.
 */
final class OutageLog {

    static final Duration REPEAT = Duration.ofSeconds(30);
    private static final long NONE = Long.MIN_VALUE;

    private final Logger log;
    private final AtomicLong since = new AtomicLong(NONE);
    private final AtomicLong lastWarning = new AtomicLong();
    private volatile String what = "";

    OutageLog(Logger log) {
        this.log = log;
    }

    /** {@code what} failed in a way that is tried again (it timed out, say). */
    void pending(String what, Exception cause) {
        long now = System.nanoTime();
        this.what = what;
        if (since.compareAndSet(NONE, now)) {
            lastWarning.set(now);
            log.warn("{} failed ({}); Courier keeps trying and takes no new work meanwhile", what, cause.getMessage());
            return;
        }
        long last = lastWarning.get();
        if (now - last >= REPEAT.toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn("{} has been failing for {} s ({}); Courier keeps trying", what,
                    Duration.ofNanos(now - since.get()).toSeconds(), cause.getMessage());
        }
    }

    /** How long the failures have lasted; zero when what failed works (or never failed). */
    Duration duration() {
        long began = since.get();
        return began == NONE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - began);
    }

    /** What failed, as {@link #pending} named it; meaningful while {@link #duration()} is above zero. */
    String what() {
        return what;
    }

    /** What failed works again. */
    void over() {
        long began = since.getAndSet(NONE);
        if (began != NONE) {
            log.info("{} works again after {} s", what, Duration.ofNanos(System.nanoTime() - began).toSeconds());
        }
    }
}
