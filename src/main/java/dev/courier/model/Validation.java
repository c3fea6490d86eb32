package dev.courier.model;

import java.util.List;

/** What {@link RequestValidator} concluded about one request event. */
public sealed interface Validation {

    /** The event can be dispatched as {@code request}. */
    record Valid(DispatchRequest request) implements Validation {
    }

    /** The event cannot be dispatched; each problem names the field and what is wrong with it. */
    record Invalid(List<String> problems) implements Validation {

        public Invalid {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid request has at least one problem");
            }
            problems = List.copyOf(problems);
        }

        /** All problems in one line, for a dead letter's error message or a command's output. */
        public String reason() {
            return String.join("; ", problems);
        }
    }
}
