package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The text log format, as {@code logback.xml} configures it ({@code courier run} on a terminal, or with
 * {@code courier.log.format=text}), writes one line per log event whatever the message holds: an event id is chosen
 * by whoever publishes the event, and an id with a line break in it must not forge a log line.
 */
class TextLogFormatTest {

    /** What logback.xml's appender writes for one warning, configured in a logger context of its own. */
    @SuppressWarnings("unchecked")
    private static String logged(String message, Object... arguments) throws Exception {
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            Logger logger = context.getLogger("dev.courier.ops.DeadLetterLog");
            OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
                    context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
            byte[] line = stderr.getEncoder().encode(new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                    message, null, arguments));
            return new String(line, StandardCharsets.UTF_8);
        } finally {
            context.stop();
        }
    }

    @Test
    void aLineBreakInAnEventIdCannotForgeALogLine() throws Exception {
        String forged = "r-1\n12:00:00.000 ERROR [main] dev.courier.engine.Engine - Courier stopped: forged\r\nagain";

        String written = logged("Dead letter {} for request {} from {}", "INVALID_REQUEST", forged, "requests-0@7");

        assertThat(written.lines()).as(written).hasSize(1);
        assertThat(written).contains("for request r-1\\n12:00:00.000 ERROR [main]", "forged\\r\\nagain from");
    }

    @Test
    void otherControlCharactersAreShownAsQuestionMarks() throws Exception {
        String written = logged("request {}", "r-\u001b[31mred\u2028x\u0085y");

        assertThat(written.lines()).hasSize(1);
        assertThat(written).contains("request r-?[31mred?x?y");
    }

    @Test
    void anOrdinaryMessageIsWrittenAsItIs() throws Exception {
        assertThat(logged("Drained {} events in {} ms", 12, 30))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[[^]]+] dev\\.courier\\.ops\\.DeadLetterLog - Drained 12 events"
                        + " in 30 ms\\R");
    }
}
