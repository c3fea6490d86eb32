package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How facts about one id combine, whatever order the three topics are read in. */
class RequestStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final RequestStatus.Location REQUEST = new RequestStatus.Location("requests", 0, 1);
    private static final RequestStatus.Location REPLAYED = new RequestStatus.Location("requests", 0, 9);

    private static RequestStatus outcome(RequestStatus.State state, int replayCount, Instant at, long offset) {
        return new RequestStatus("id", state, replayCount, null, null, 200, 1, at, at, at,
                state == RequestStatus.State.FAILED ? "RETRIES_EXHAUSTED" : null, null,
                new RequestStatus.Location(state == RequestStatus.State.FAILED ? "dead-letters" : "results", 0, offset),
                at);
    }

    @Test
    void anOutcomeOfAnEarlierReplayReadLateDoesNotUndoTheReplay() {
        RequestStatus replayed = RequestStatus.pending("id", 1, REPLAYED, T0.plusSeconds(10));

        RequestStatus status = replayed.then(outcome(RequestStatus.State.FAILED, 0, T0.plusSeconds(2), 3));

        assertThat(status.state()).isEqualTo(RequestStatus.State.PENDING);
        assertThat(status.replayCount()).isEqualTo(1);
        assertThat(status.request()).isEqualTo(REPLAYED);
        assertThat(status.outcome()).isNull();
        assertThat(status.updatedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void anEarlierRequestRecordReadLateKeepsTheOutcomeAndTheLaterRequestsLocation() {
        RequestStatus done = RequestStatus.pending("id", 1, REPLAYED, T0.plusSeconds(10))
                .then(outcome(RequestStatus.State.SUCCEEDED, 1, T0.plusSeconds(11), 5));

        RequestStatus status = done.then(RequestStatus.pending("id", 0, REQUEST, T0));

        assertThat(status.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(status.request()).isEqualTo(REPLAYED);
        assertThat(status.replayCount()).isEqualTo(1);
    }

    @Test
    void ofTwoOutcomesAtTheSameReplayCountTheOneReadLaterStands() {
        RequestStatus first = outcome(RequestStatus.State.FAILED, 0, T0, 3);

        RequestStatus status = first.then(outcome(RequestStatus.State.SUCCEEDED, 0, T0.plusSeconds(1), 4));

        assertThat(status.state()).isEqualTo(RequestStatus.State.SUCCEEDED);
        assertThat(status.category()).isNull();
        assertThat(status.outcome().offset()).isEqualTo(4);
    }

    @Test
    void factsAboutTwoIdsDoNotCombine() {
        assertThatThrownBy(() -> RequestStatus.pending("a", 0, REQUEST, T0).then(RequestStatus.pending("b", 0, REQUEST,
                T0))).isInstanceOf(IllegalArgumentException.class);
    }
}
