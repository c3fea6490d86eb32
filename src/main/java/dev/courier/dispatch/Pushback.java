package dev.courier.dispatch;

import dev.courier.model.AttemptResult.Response;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads from a response how long its rate-limit key should make no call: {@code Retry-After} (seconds or an HTTP
 * date) on an error status; the IETF {@code RateLimit} field at zero remaining, in its current form
 * ({@code "policy";r=0;t=2}), its earlier dictionary form ({@code limit=100, remaining=0, reset=2}) or the older
 * separate {@code RateLimit-Remaining} and {@code RateLimit-Reset}; and the common {@code X-RateLimit-Remaining: 0}
 * with {@code X-RateLimit-Reset} (seconds from now, or a Unix time in seconds). A malformed field is ignored. The
 * caller caps the pause. Stateless; any thread.
 */
final class Pushback {

    /** Reset values above this are Unix times in seconds, not delays (about 2001-09-09). */
    private static final long UNIX_TIME_FROM = 1_000_000_000L;

    private Pushback() {
    }

    /** The pause {@code response} asks for, counted from {@code now}; null when it asks for none. */
    static Duration pause(Response response, Instant now) {
        Duration longest = null;
        if (response.status() >= 400) {
            String retryAfter = response.header("Retry-After");
            longest = longer(longest, retryAfter == null ? null : RetryAfter.parse(retryAfter, now));
        }
        longest = longer(longest, rateLimit(response.header("RateLimit")));
        longest = longer(longest, pair(response.header("RateLimit-Remaining"), response.header("RateLimit-Reset"),
                now));
        return longer(longest, pair(response.header("X-RateLimit-Remaining"), response.header("X-RateLimit-Reset"),
                now));
    }

    /**
     * The IETF {@code RateLimit} field: a list of items with parameters {@code r} (remaining) and {@code t} (seconds
     * to reset), or one dictionary with {@code remaining} and {@code reset}. The longest reset of an exhausted quota.
     */
    private static Duration rateLimit(String field) {
        if (field == null) {
            return null;
        }
        Duration longest = null;
        Long dictionaryRemaining = null;
        Long dictionaryReset = null;
        for (String member : field.split(",")) {
            Long remaining = null;
            Long reset = null;
            for (String part : member.split(";")) {
                int equals = part.indexOf('=');
                if (equals < 0) {
                    continue;
                }
                String name = part.substring(0, equals).trim();
                Long value = seconds(part.substring(equals + 1));
                switch (name) {
                    case "r" -> remaining = value;
                    case "t" -> reset = value;
                    case "remaining" -> dictionaryRemaining = value;
                    case "reset" -> dictionaryReset = value;
                    default -> {
                        // other parameters (the policy's quota and window) say nothing about now
                    }
                }
            }
            if (remaining != null && remaining == 0 && reset != null) {
                longest = longer(longest, Duration.ofSeconds(reset));
            }
        }
        if (dictionaryRemaining != null && dictionaryRemaining == 0 && dictionaryReset != null) {
            longest = longer(longest, Duration.ofSeconds(dictionaryReset));
        }
        return longest;
    }

    /** A remaining count and a reset, as separate fields: a pause only when the count is 0. */
    private static Duration pair(String remainingField, String resetField, Instant now) {
        if (remainingField == null || resetField == null) {
            return null;
        }
        Long remaining = seconds(remainingField);
        Long reset = seconds(resetField);
        if (remaining == null || remaining != 0 || reset == null) {
            return null;
        }
        if (reset >= UNIX_TIME_FROM) {
            long delay = reset - now.getEpochSecond();
            return delay > 0 ? Duration.ofSeconds(delay) : null;
        }
        return Duration.ofSeconds(reset);
    }

    /** A non-negative whole number of at most 12 digits, or null. */
    private static Long seconds(String text) {
        String value = text.trim();
        if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(value);
    }

    private static Duration longer(Duration a, Duration b) {
        if (b == null || b.isZero()) {
            return a;
        }
        return a == null || b.compareTo(a) > 0 ? b : a;
    }
}
