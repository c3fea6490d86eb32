package dev.courier.codec;

import java.util.List;

/**
 * JSON that does not describe a valid event. The message lists every problem found, each
 * naming its field, e.g. {@code unknown field "methd" (did you mean "method"?)}.
 */
public final class EventJsonException extends Exception {
    private final List<String> problems;

    EventJsonException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an EventJsonException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order of the input's fields and the schema's. */
    public List<String> problems() {
        return problems;
    }
}
