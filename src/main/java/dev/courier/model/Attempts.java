package dev.courier.model;

import java.time.Instant;

/**
 * The HTTP attempts made for one event.
 *
 * @param count how many attempts were made; 0 when none was
 * @param first when the first attempt started, or null when none was made
 * @param last  when the last attempt started, or null when none was made
 */
public record Attempts(int count, Instant first, Instant last) {

    public static final Attempts NONE = new Attempts(0, null, null);

    public Attempts {
        if (count < 0 || (count == 0) != (first == null) || (count == 0) != (last == null)) {
            throw new IllegalArgumentException("inconsistent attempts: " + count + ", " + first + ", " + last);
        }
    }

    /** These attempts and one more, started at {@code startedAt}. */
    public Attempts plus(Instant startedAt) {
        return new Attempts(count + 1, count == 0 ? startedAt : first, startedAt);
    }
}
