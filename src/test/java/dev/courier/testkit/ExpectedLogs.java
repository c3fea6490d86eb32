package dev.courier.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a logger says while a test provokes a failure on purpose: kept in memory for the test to assert on, and out
 * of the build's output, where an ERROR with a long stack trace would look like something went wrong. Everything
 * the logger (and the loggers below it) logs between {@link #capture} and {@link #close()} is captured, from any
 * thread. Not for use by tests that run concurrently with others logging to the same logger.
 */
public final class ExpectedLogs implements AutoCloseable {

    private final Logger logger;
    private final boolean wasAdditive;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private ExpectedLogs(Logger logger) {
        this.logger = logger;
        this.wasAdditive = logger.isAdditive();
        events.setContext(logger.getLoggerContext());
        events.start();
        logger.addAppender(events);
        logger.setAdditive(false);
    }

    /** Starts capturing what {@code loggerName} logs; Logback must be the logging backend. */
    public static ExpectedLogs capture(String loggerName) {
        return new ExpectedLogs((Logger) LoggerFactory.getLogger(loggerName));
    }

    /** Each event captured so far as {@code LEVEL message}, the message formatted with its arguments. */
    public List<String> lines() {
        synchronized (events) {
            return events.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
        }
    }

    /** Stops capturing; the logger writes where it did before. */
    @Override
    public void close() {
        logger.detachAppender(events);
        logger.setAdditive(wasAdditive);
        events.stop();
    }
}
