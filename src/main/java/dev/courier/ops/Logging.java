package dev.courier.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.courier.config.LogFormat;
import java.io.OutputStream;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adjusts Courier's logging (Logback, configured by {@code logback.xml}: readable lines on standard error) where a
 * command needs something else: quieter for a person watching ({@code demo}), or JSON lines for a log collector
 * ({@code run}, from {@code courier.log.format}). Log lines are what operators read beside the metrics and the health
 * probes, so their format lives here with them; {@link OneLineMessage} keeps the text format's lines whole. Does nothing when Logback is not the logging backend. Call from the command's thread, before the
 * work begins.
 */
public final class Logging {

    /** The name of {@code logback.xml}'s appender on standard error. */
    private static final String STDERR = "STDERR";

    private Logging() {
    }

    /** Only warnings and errors from Courier's classes, when Logback is the logging backend. */
    public static void quiet() {
        if (LoggerFactory.getLogger("dev.courier") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /**
     * The format {@code courier.log.format} asks for: {@link LogFormat#AUTO} is JSON unless Courier runs on a
     * terminal (Java 17 can tell only whether standard input and output are one, which is what {@link System#console()}
     * says).
     */
    public static LogFormat resolve(LogFormat format) {
        if (format != LogFormat.AUTO) {
            return format;
        }
        return System.console() == null ? LogFormat.JSON : LogFormat.TEXT;
    }

    /** Writes log lines on standard error in {@code format} from now on. */
    public static void use(LogFormat format) {
        if (resolve(format) == LogFormat.JSON
                && root() instanceof ch.qos.logback.classic.Logger root
                && root.getAppender(STDERR) instanceof ConsoleAppender<ILoggingEvent> console) {
            console.stop();
            console.setEncoder(jsonEncoder(root.getLoggerContext()));
            console.start();
        }
    }

    /**
     * Sends every log line to {@code out} as JSON, as {@code courier.log.format=json} writes it, instead of standard
     * error, until the returned handle is closed (for tests of the format). Not for concurrent use.
     */
    public static AutoCloseable jsonTo(OutputStream out) {
        if (!(root() instanceof ch.qos.logback.classic.Logger root)) {
            return () -> { };
        }
        LoggerContext context = root.getLoggerContext();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("json-capture");
        appender.setEncoder(jsonEncoder(context));
        appender.setOutputStream(out);
        appender.start();
        Appender<ILoggingEvent> stderr = root.getAppender(STDERR);
        if (stderr != null) {
            root.detachAppender(stderr);
        }
        root.addAppender(appender);
        return () -> {
            root.detachAppender(appender);
            appender.stop();
            if (stderr != null) {
                root.addAppender(stderr);
            }
        };
    }

    private static LogstashEncoder jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static Logger root() {
        return LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
