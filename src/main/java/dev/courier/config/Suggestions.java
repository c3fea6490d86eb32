package dev.courier.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name closest to a mistyped one. */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate nearest to {@code typed} by edit distance, ignoring case, if one is near enough to
     * be a likely typo: at most a quarter of the typed length, and at least 2, edits away.
     */
    public static Optional<String> nearest(String typed, Collection<String> candidates) {
        int limit = Math.max(2, typed.length() / 4);
        String lowerTyped = typed.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .map(candidate -> new Scored(candidate, distance(lowerTyped, candidate.toLowerCase(Locale.ROOT))))
                .filter(scored -> scored.distance <= limit)
                .min(Comparator.comparingInt(Scored::distance))
                .map(Scored::candidate);
    }

    private record Scored(String candidate, int distance) {
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
