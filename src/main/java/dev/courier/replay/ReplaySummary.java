package dev.courier.replay;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a replay did, or (for a dry run) would do.
 *
 * @param read          dead letters read in the range
 * @param selected      of those, the ones the filters selected
 * @param skipped       selected dead letters not replayed, by reason
 * @param chosen        events chosen for replay
 * @param replayed      events published again (0 for a dry run)
 * @param byCategory    the chosen events by failure category
 * @param byHost        ... by URL host (or target name)
 * @param byStatus      ... by last HTTP status ("none" when there was no response)
 * @param firstChosen   the ids of the first chosen events, in the order they would be replayed
 * @param interrupted   whether the replay stopped before it published every chosen event
 * @param resumeSince   when interrupted: the time to pass as {@code --since} to replay the rest, or null
 */
public record ReplaySummary(long read, long selected, Map<SkipReason, Long> skipped, long chosen, long replayed,
        SortedMap<String, Long> byCategory, SortedMap<String, Long> byHost, SortedMap<String, Long> byStatus,
        List<String> firstChosen, boolean interrupted, Instant resumeSince) {

    public ReplaySummary {
        skipped = skipped.isEmpty() ? Map.of() : new EnumMap<>(skipped);
        firstChosen = List.copyOf(firstChosen);
    }
}
