package dev.courier.config;

import java.util.List;

/** Settings that cannot be used; each problem names the key, the value and what is allowed. */
public final class SettingsException extends RuntimeException {

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(problems.size() == 1
                ? problems.get(0)
                : problems.size() + " settings problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
