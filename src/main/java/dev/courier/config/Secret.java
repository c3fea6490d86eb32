package dev.courier.config;

/** A value that must not reach logs or output: {@link #toString()} hides it. */
public record Secret(String value) {

    @Override
    public String toString() {
        return "****";
    }
}
