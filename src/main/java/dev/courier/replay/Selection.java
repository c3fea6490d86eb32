package dev.courier.replay;

import dev.courier.model.StoredDeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a replay chooses: of the dead letters read, the latest one of each event, kept when the filters select it and
 * no rule refuses it ({@link ReplayCriteria}); then dropped again when the event has a result or a replay not
 * processed yet, or past {@code --max}; and the summary of it all. The reading of the topics is {@link Replay}'s;
 * this is the decision, record by record. Not thread-safe: the replay's thread.
 */
final class Selection {

    private static final int FIRST_SHOWN = 5;

    private final TopicRange range;
    private final ReplayCriteria criteria;
    /** The latest dead letter of each event read so far, chosen or not. */
    private final Map<String, Candidate> latest = new HashMap<>();
    /** How many dead letters of each event were read. */
    private final Map<String, Integer> letters = new HashMap<>();
    private final Map<String, Candidate> chosen = new HashMap<>();
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private long read;
    private long selected;

    Selection(TopicRange range, ReplayCriteria criteria) {
        this.range = range;
        this.criteria = criteria;
    }

    /** The dead letters the replay reads in order (from {@code --since} to the end when it started). */
    TopicRange range() {
        return range;
    }

    /** Whether no dead letter is chosen (yet, or any more). */
    boolean isEmpty() {
        return chosen.isEmpty();
    }

    /** A record of the dead-letter topic that is not a dead letter Courier can read. */
    void unreadable() {
        read++;
        skip(SkipReason.UNREADABLE);
    }

    /**
     * Keeps {@code letter} when it is the latest dead letter of its event so far; whether the filters select it
     * matters only once it is known to be the latest (see {@link #choose}).
     */
    void consider(ConsumerRecord<byte[], byte[]> record, StoredDeadLetter letter) {
        read++;
        boolean selects = criteria.selects(letter, Instant.ofEpochMilli(record.timestamp()));
        if (letter.requestId() == null) {
            if (selects) {
                selected++;
                skip(SkipReason.NOT_AN_EVENT);
            }
            return;
        }
        Candidate candidate = new Candidate(Position.of(record), letter.replayCount(), letter.category(),
                ReplayCriteria.host(letter), letter.lastStatus() == null ? "none" : letter.lastStatus().toString(),
                selects, selects ? criteria.refusal(letter) : null);
        letters.merge(letter.requestId(), 1, Integer::sum);
        Candidate earlier = latest.get(letter.requestId());
        if (earlier == null || later(candidate, earlier)) {
            latest.put(letter.requestId(), candidate);
        }
    }

    /**
     * Once every dead letter is read: the latest dead letter of each event is chosen when the filters select it
     * and the rules do not refuse it. An event whose latest dead letter the filters do not select is left out, its
     * earlier ones too: one of them would be replayed with a replay count that is not the event's.
     */
    void choose() {
        latest.forEach((requestId, candidate) -> {
            if (!candidate.selected()) {
                return;
            }
            int count = letters.get(requestId);
            selected += count;
            skip(SkipReason.SUPERSEDED, count - 1); // only the latest dead letter of an event counts
            if (candidate.refusal() != null) {
                skip(candidate.refusal());
            } else {
                chosen.put(requestId, candidate);
            }
        });
        latest.clear();
        letters.clear();
    }

    private boolean later(Candidate a, Candidate b) {
        if (a.replayCount() != b.replayCount()) {
            return a.replayCount() > b.replayCount();
        }
        return Position.IN_TIME_ORDER.compare(a.position(), b.position()) > 0;
    }

    /**
     * A request on the requests topic replayed {@code replayCount} times: when that is more than the latest dead
     * letter of the event says, the replay is not processed yet (a failed one would have left a later dead
     * letter, a successful one a result).
     */
    void replayed(String requestId, int replayCount) {
        Candidate candidate = chosen.get(requestId);
        if (candidate != null && replayCount > candidate.replayCount()) {
            chosen.remove(requestId);
            skip(SkipReason.ALREADY_REPLAYED);
        }
    }

    /** When the earliest chosen dead letter was written. */
    Instant earliestChosen() {
        return Instant.ofEpochMilli(chosen.values().stream().mapToLong(candidate -> candidate.position().timestamp())
                .min().orElseThrow());
    }

    void succeeded(String requestId) {
        if (chosen.remove(requestId) != null) {
            skip(SkipReason.ALREADY_SUCCEEDED);
        }
    }

    void skip(SkipReason reason) {
        skip(reason, 1);
    }

    void skip(SkipReason reason, long count) {
        if (count > 0) {
            skipped.merge(reason, count, Long::sum);
        }
    }

    void applyMax(Integer max) {
        if (max == null || chosen.size() <= max) {
            return;
        }
        List<Map.Entry<String, Candidate>> entries = new ArrayList<>(chosen.entrySet());
        entries.sort(Map.Entry.comparingByValue(Comparator.comparing(Candidate::position, Position.IN_TIME_ORDER)));
        for (Map.Entry<String, Candidate> over : entries.subList(max, entries.size())) {
            chosen.remove(over.getKey());
            skip(SkipReason.OVER_MAX);
        }
    }

    List<Position> inOrder() {
        return chosen.values().stream().map(Candidate::position).sorted(Position.IN_TIME_ORDER).toList();
    }

    ReplaySummary summary(long replayed, boolean interrupted, Instant resumeSince) {
        TreeMap<String, Long> byCategory = new TreeMap<>();
        TreeMap<String, Long> byHost = new TreeMap<>();
        TreeMap<String, Long> byStatus = new TreeMap<>();
        chosen.values().forEach(candidate -> {
            byCategory.merge(candidate.category(), 1L, Long::sum);
            byHost.merge(candidate.host(), 1L, Long::sum);
            byStatus.merge(candidate.status(), 1L, Long::sum);
        });
        List<String> first = chosen.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.comparing(Candidate::position, Position.IN_TIME_ORDER)))
                .limit(FIRST_SHOWN).map(Map.Entry::getKey).toList();
        return new ReplaySummary(read, selected, skipped, chosen.size(), replayed, byCategory, byHost, byStatus,
                first, interrupted, resumeSince);
    }

    /** Where a dead letter is, and when it was written. */
    record Position(int partition, long offset, long timestamp) {

        static Position of(ConsumerRecord<?, ?> record) {
            return new Position(record.partition(), record.offset(), record.timestamp());
        }

        static final Comparator<Position> IN_TIME_ORDER = Comparator.comparingLong(Position::timestamp)
                .thenComparingInt(Position::partition).thenComparingLong(Position::offset);
    }

    /**
     * The latest dead letter of an event, with what the summary counts of it, whether the filters select it, and why
     * it must not be replayed (null when it may be, or when it is not selected).
     */
    private record Candidate(Position position, int replayCount, String category, String host, String status,
            boolean selected, SkipReason refusal) {
    }
}
