package dev.courier.replay;

import dev.courier.model.StoredDeadLetter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which dead letters a replay considers, and the rules it applies to them.
 *
 * @param since         dead letters written at or after this time (their record timestamp), or null for all
 * @param until         ... and before this time, or null for no end
 * @param categories    failure categories to replay; empty for any
 * @param statuses      last HTTP statuses to replay; empty for any
 * @param hosts         URL hosts to replay (lower case); empty for any
 * @param targets       named targets to replay; empty for any
 * @param ids           request ids to replay; empty for any
 * @param max           the most events to replay, or null for no limit
 * @param maxReplays    dead letters of events already replayed this many times are skipped
 * @param force         replay what the rules would skip: categories a replay cannot fix, too many replays, URLs
 *                      whose credentials were redacted, replays not processed yet
 * @param skipSucceeded skip events that have a result on the results topic (events whose replay waits on the requests
 *                      topic are skipped either way, unless {@code force})
 */
public record ReplayCriteria(Instant since, Instant until, Set<String> categories, Set<Integer> statuses,
        Set<String> hosts, Set<String> targets, Set<String> ids, Integer max, int maxReplays, boolean force,
        boolean skipSucceeded) {

    /** Categories a replay cannot fix: the same event would fail the same way. */
    public static final Set<String> NOT_REPLAYABLE = Set.of("UNDECODABLE", "INVALID_REQUEST", "POLICY_REFUSED");
    /** The default of {@code --max-replays}. */
    public static final int DEFAULT_MAX_REPLAYS = 3;

    public ReplayCriteria {
        categories = Set.copyOf(categories);
        statuses = Set.copyOf(statuses);
        hosts = hosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
        targets = Set.copyOf(targets);
        ids = Set.copyOf(ids);
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1, got " + max);
        }
        if (maxReplays < 1) {
            throw new IllegalArgumentException("--max-replays must be at least 1, got " + maxReplays);
        }
        if (since != null && until != null && !until.isAfter(since)) {
            throw new IllegalArgumentException("--until (" + until + ") must be after --since (" + since + ")");
        }
    }

    /** Whether the filters select {@code letter}, written at {@code timestamp}; the rules come after. */
    boolean selects(StoredDeadLetter letter, Instant timestamp) {
        if (until != null && !timestamp.isBefore(until)) {
            return false;
        }
        if (!categories.isEmpty() && !categories.contains(letter.category())) {
            return false;
        }
        if (!statuses.isEmpty() && (letter.lastStatus() == null || !statuses.contains(letter.lastStatus()))) {
            return false;
        }
        if (!ids.isEmpty() && (letter.requestId() == null || !ids.contains(letter.requestId()))) {
            return false;
        }
        if (!targets.isEmpty() && (letter.request() == null || !targets.contains(letter.request().target()))) {
            return false;
        }
        return hosts.isEmpty() || hosts.contains(host(letter));
    }

    /**
     * Why {@code letter}, selected, must not be replayed, or null when it may be.
     */
    SkipReason refusal(StoredDeadLetter letter) {
        if (letter.requestId() == null) {
            return SkipReason.NOT_AN_EVENT;
        }
        if (letter.request() == null) {
            return SkipReason.REQUEST_NOT_KEPT;
        }
        if (force) {
            return null;
        }
        if (NOT_REPLAYABLE.contains(letter.category())) {
            return SkipReason.NOT_REPLAYABLE;
        }
        if (letter.replayCount() >= maxReplays) {
            return SkipReason.TOO_MANY_REPLAYS;
        }
        if (letter.request().url() != null && letter.request().url().contains(ReplayedRequest.REDACTED)) {
            return SkipReason.REDACTED_URL;
        }
        return null;
    }

    /** The host of the dead letter's URL, lower case; the target's name for a named target; "" when unknown. */
    static String host(StoredDeadLetter letter) {
        if (letter.request() == null) {
            return "";
        }
        if (letter.request().url() == null) {
            return Objects.requireNonNullElse(letter.request().target(), "");
        }
        try {
            String host = new URI(letter.request().url()).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
