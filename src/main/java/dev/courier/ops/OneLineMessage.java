package dev.courier.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %oneLineMsg} of {@code logback.xml}'s text format: the log message with its line breaks written as
 * {@code \r} and {@code \n} and other control characters as {@code ?}, so each log event is one line whatever the
 * message holds. Event ids, URLs and error messages come from whoever published the event; one with a line break
 * could otherwise forge a log line. (The JSON format escapes them itself.) Stateless.
 */
public final class OneLineMessage extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return oneLine(event.getFormattedMessage());
    }

    static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder line = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            String replacement = c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : (Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029' ? "?" : null;
            if (replacement != null && line == null) {
                line = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (line != null) {
                if (replacement != null) {
                    line.append(replacement);
                } else {
                    line.append(c);
                }
            }
        }
        return line == null ? message : line.toString();
    }
}
