package dev.courier.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the values of a {@code .properties} text that end in a comment: a {@code #} after whitespace, not escaped.
 * A {@code .properties} file knows comments only as lines of their own, so {@link java.util.Properties} keeps such a
 * comment as part of the value ({@code X-Tenant=acme   # the tenant} sets {@code acme   # the tenant}); a {@code #}
 * written {@code \#}, or with no whitespace before it, belongs to the value and is not reported. Logical lines are
 * read as {@code Properties} reads them (continuation lines, {@code !} comments, {@code =}, {@code :} or whitespace
 * after the key). Stateless.
 */
final class TrailingComments {

    /** A value that ends in a comment: its key, the line it starts on (from 1) and the comment from its {@code #}. */
    record Found(String key, int line, String comment) {
    }

    private TrailingComments() {
    }

    /** Every value of {@code text} that ends in a comment, in file order. */
    static List<Found> in(String text) {
        List<Found> found = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        int next = 0;
        while (next < lines.length) {
            int first = next;
            String line = stripLeading(lines[next++]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (continues(line) && next < lines.length) {
                logical.append(line, 0, line.length() - 1);
                line = stripLeading(lines[next++]);
            }
            logical.append(line);
            Found comment = comment(logical.toString(), first + 1);
            if (comment != null) {
                found.add(comment);
            }
        }
        return found;
    }

    /** The comment that ends the value of the logical line {@code entry}, or null. */
    private static Found comment(String entry, int line) {
        int at = 0;
        StringBuilder key = new StringBuilder();
        while (at < entry.length() && "=: \t\f".indexOf(entry.charAt(at)) < 0) {
            if (entry.charAt(at) == '\\' && at + 1 < entry.length()) {
                at++;
            }
            key.append(entry.charAt(at++));
        }
        while (at < entry.length() && whitespace(entry.charAt(at))) {
            at++;
        }
        if (at < entry.length() && (entry.charAt(at) == '=' || entry.charAt(at) == ':')) {
            at++;
        }
        for (int i = at; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '#' && i > at && whitespace(entry.charAt(i - 1))) {
                return new Found(key.toString(), line, entry.substring(i).strip());
            }
        }
        return null;
    }

    /** Whether {@code line} ends in an odd number of backslashes: the next line continues it. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripLeading(String line) {
        int start = 0;
        while (start < line.length() && whitespace(line.charAt(start))) {
            start++;
        }
        return line.substring(start);
    }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }
}
