package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DeadLetterLogTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.dead-letters." + System.nanoTime());
    /** Keeps each line with the logging context it was logged in, as an encoder that writes at once sees it. */
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent line) {
            line.prepareForDeferredProcessing();
            super.append(line);
        }
    };
    private final DeadLetterLog log;

    DeadLetterLogTest() {
        lines.start();
        logger.addAppender(lines);
        logger.setAdditive(false);
        log = new DeadLetterLog(now::get, logger);
    }

    private void deadLetter(int i) {
        log.deadLetter("req-" + i, "corr-" + i, "HTTP_CLIENT_ERROR", 404, 1, "requests-0@" + i, "HTTP 404");
    }

    @Test
    void warnsOncePerDeadLetterWithItsIdsAsFields() {
        deadLetter(1);

        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getFormattedMessage()).isEqualTo(
                "Dead letter HTTP_CLIENT_ERROR for request req-1 from requests-0@1 after 1 attempt, last status 404:"
                        + " HTTP 404");
        assertThat(line.getMDCPropertyMap()).containsEntry("requestId", "req-1").containsEntry("correlationId",
                "corr-1");
        assertThat(org.slf4j.MDC.get("requestId")).isNull();
    }

    @Test
    void aBurstIsCutAtTenAndTheNextWarningCountsWhatWasHeldBack() {
        for (int i = 0; i < 25; i++) {
            deadLetter(i);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        deadLetter(99);

        assertThat(lines.list).hasSize(11);
        assertThat(lines.list.get(10).getFormattedMessage())
                .endsWith("(15 more dead letters were not logged since the last warning)");
        assertThat(log.suppressedTotal()).isEqualTo(15);
    }

    @Test
    void aQuietSpellRefillsTheBurstButNoMore() {
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));
        for (int i = 0; i < 30; i++) {
            deadLetter(i);
        }

        assertThat(lines.list).hasSize(DeadLetterLog.BURST);
    }
}
