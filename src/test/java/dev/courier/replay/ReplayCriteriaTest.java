package dev.courier.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.model.RequestSpec;
import dev.courier.model.StoredDeadLetter;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which dead letters a replay selects, and the rules that refuse some of them. */
class ReplayCriteriaTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-29T10:00:00Z");
    private static final ReplayCriteria ANY = criteria(Set.of(), Set.of(), Set.of(), Set.of(), false);

    @Test
    void noFilterSelectsEveryDeadLetter() {
        assertThat(ANY.selects(letter("a", "RETRIES_EXHAUSTED", 503, "https://api.example.com/x", 0), WRITTEN))
                .isTrue();
    }

    @Test
    void eachFilterSelectsOnlyWhatItNames() {
        StoredDeadLetter letter = letter("a", "RETRIES_EXHAUSTED", 503, "https://API.example.com/x", 0);

        assertThat(criteria(Set.of("HTTP_CLIENT_ERROR"), Set.of(), Set.of(), Set.of(), false).selects(letter, WRITTEN))
                .isFalse();
        assertThat(criteria(Set.of(), Set.of(404), Set.of(), Set.of(), false).selects(letter, WRITTEN)).isFalse();
        assertThat(criteria(Set.of(), Set.of(503), Set.of(), Set.of(), false).selects(letter, WRITTEN)).isTrue();
        assertThat(criteria(Set.of(), Set.of(), Set.of("Api.Example.com"), Set.of(), false).selects(letter, WRITTEN))
                .as("hosts compare in lower case").isTrue();
        assertThat(criteria(Set.of(), Set.of(), Set.of(), Set.of("b"), false).selects(letter, WRITTEN)).isFalse();
        ReplayCriteria until = new ReplayCriteria(null, WRITTEN, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
                null, 3, false, true);
        assertThat(until.selects(letter, WRITTEN)).as("--until is exclusive").isFalse();
        assertThat(until.selects(letter, WRITTEN.minusMillis(1))).isTrue();
    }

    @Test
    void aNamedTargetIsSelectedByItsName() {
        RequestSpec request = new RequestSpec("a", "GET", null, "billing", "/x", Map.of(), null, null, null, null,
                null, null, null, null, Map.of());
        StoredDeadLetter letter = new StoredDeadLetter("a", request, "RETRIES_EXHAUSTED", 503, "m", WRITTEN, 0);
        ReplayCriteria byTarget = new ReplayCriteria(null, null, Set.of(), Set.of(), Set.of(), Set.of("billing"),
                Set.of(), null, 3, false, true);

        assertThat(byTarget.selects(letter, WRITTEN)).isTrue();
        assertThat(ReplayCriteria.host(letter)).isEqualTo("billing");
    }

    @Test
    void theRulesRefuseWhatAReplayCannotFixUnlessForced() {
        assertThat(ANY.refusal(letter("a", "INVALID_REQUEST", null, "https://x.example/", 0)))
                .isEqualTo(SkipReason.NOT_REPLAYABLE);
        assertThat(ANY.refusal(letter("a", "RETRIES_EXHAUSTED", 503, "https://x.example/", 3)))
                .isEqualTo(SkipReason.TOO_MANY_REPLAYS);
        assertThat(ANY.refusal(letter("a", "RETRIES_EXHAUSTED", 503, "https://x.example/?token=[REDACTED]", 0)))
                .isEqualTo(SkipReason.REDACTED_URL);
        ReplayCriteria forced = criteria(Set.of(), Set.of(), Set.of(), Set.of(), true);
        assertThat(forced.refusal(letter("a", "INVALID_REQUEST", null, "https://x.example/", 5))).isNull();
    }

    @Test
    void aDeadLetterWithoutItsRequestCannotBeReplayedEvenForced() {
        ReplayCriteria forced = criteria(Set.of(), Set.of(), Set.of(), Set.of(), true);

        assertThat(forced.refusal(new StoredDeadLetter(null, null, "UNDECODABLE", null, "m", WRITTEN, 0)))
                .isEqualTo(SkipReason.NOT_AN_EVENT);
        assertThat(forced.refusal(new StoredDeadLetter("a", null, "RETRIES_EXHAUSTED", 503, "m", WRITTEN, 0)))
                .isEqualTo(SkipReason.REQUEST_NOT_KEPT);
    }

    @Test
    void impossibleCriteriaAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new ReplayCriteria(null, null, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), 0,
                3, false, true)).hasMessageContaining("--max");
        assertThatThrownBy(() -> new ReplayCriteria(WRITTEN, WRITTEN, Set.of(), Set.of(), Set.of(), Set.of(),
                Set.of(), null, 3, false, true)).hasMessageContaining("--until");
    }

    @Test
    void aReplayedRequestLeavesOutTheHeadersRedactedAtRest() {
        RequestSpec kept = new RequestSpec("a", "POST", "https://x.example/", null, null,
                Map.of("Authorization", "[REDACTED]", "X-Tenant", "t1"), null, null, null, null, null, "idem-a", null,
                null, Map.of());

        RequestSpec replayed = ReplayedRequest.of(kept);

        assertThat(replayed.headers()).containsExactly(Map.entry("X-Tenant", "t1"));
        assertThat(replayed.id()).isEqualTo("a");
        assertThat(replayed.idempotencyKey()).isEqualTo("idem-a");
    }

    private static ReplayCriteria criteria(Set<String> categories, Set<Integer> statuses, Set<String> hosts,
            Set<String> ids, boolean force) {
        return new ReplayCriteria(null, null, categories, statuses, hosts, Set.of(), ids, null, 3, force, true);
    }

    private static StoredDeadLetter letter(String id, String category, Integer status, String url, int replays) {
        RequestSpec request = new RequestSpec(id, "GET", url, null, null, Map.of(), null, null, null, null, null, null,
                null, null, Map.of());
        return new StoredDeadLetter(id, request, category, status, "m", WRITTEN, replays);
    }
}
