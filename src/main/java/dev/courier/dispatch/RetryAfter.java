package dev.courier.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads a {@code Retry-After} header value (RFC 9110, section 10.2.3): delta-seconds, or an HTTP-date in any of
 * the three forms a recipient must accept (IMF-fixdate, the obsolete RFC 850 form and asctime).
 */
final class RetryAfter {

    /** RFC 850 without its weekday, which a two-digit year cannot be checked against. */
    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    private static final int MAX_SECONDS_DIGITS = 12;

    private RetryAfter() {
    }

    /**
     * The wait {@code value} asks for, counted from {@code now}: zero for a date in the past, null when the value is
     * neither form. A number of seconds too large to matter reads as a very long wait (callers cap it).
     */
    static Duration parse(String value, Instant now) {
        String text = value.trim();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return text.length() > MAX_SECONDS_DIGITS ? Duration.ofSeconds(Long.MAX_VALUE)
                    : Duration.ofSeconds(Long.parseLong(text));
        }
        Instant date = date(text, now);
        if (date == null) {
            return null;
        }
        return date.isAfter(now) ? Duration.between(now, date) : Duration.ZERO;
    }

    private static Instant date(String text, Instant now) {
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException notImfFixdate) {
            // try the obsolete forms
        }
        Instant date = utc(text, ASCTIME);
        if (date == null && text.indexOf(", ") > 0) {
            date = utc(text.substring(text.indexOf(", ") + 2), RFC_850);
            date = date == null ? null : pastCentury(date, now);
        }
        return date;
    }

    /** {@code text} read with {@code form}, which has no zone: HTTP dates are always GMT. */
    private static Instant utc(String text, DateTimeFormatter form) {
        try {
            return form.parse(text, LocalDateTime::from).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** RFC 9110: a two-digit year that lands more than 50 years ahead means the century before. */
    private static Instant pastCentury(Instant date, Instant now) {
        ZonedDateTime utc = date.atZone(ZoneOffset.UTC);
        return utc.isAfter(now.atZone(ZoneOffset.UTC).plusYears(50)) ? utc.minusYears(100).toInstant() : date;
    }
}
