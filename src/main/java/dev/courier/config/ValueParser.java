package dev.courier.config;

/**
 * Turns the text of a setting into its typed value.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
interface ValueParser<T> {

    /**
     * @throws IllegalArgumentException with a message that says what is allowed, e.g.
     *                                  "must be an integer between 1 and 10000"
     */
    T parse(String text);
}
