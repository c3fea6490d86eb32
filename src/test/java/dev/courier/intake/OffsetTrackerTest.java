package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("requests", 0);
    private static final TopicPartition P1 = new TopicPartition("requests", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittableUntilTheOldestEventFinishes() {
        tracker.take(P0, 10);
        tracker.take(P0, 11);
        tracker.take(P0, 12);

        tracker.finish(P0, 11);
        tracker.finish(P0, 12);

        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void theCommittableOffsetIsTheFirstUnfinishedOne() {
        tracker.take(P0, 10);
        tracker.take(P0, 11);
        tracker.take(P0, 12);

        tracker.finish(P0, 10);
        tracker.finish(P0, 12);

        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(11)));
    }

    @Test
    void whenEverythingIsFinishedTheOffsetAfterTheLastIsCommittable() {
        tracker.take(P0, 10);
        tracker.take(P0, 14);

        tracker.finish(P0, 14);
        tracker.finish(P0, 10);

        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(15)));
    }

    @Test
    void gapsInOffsetsDoNotHoldTheWatermark() {
        tracker.take(P0, 3);
        tracker.take(P0, 7);
        tracker.take(P0, 9);

        tracker.finish(P0, 3);
        tracker.finish(P0, 7);

        assertThat(tracker.committable().get(P0).offset()).isEqualTo(9);
    }

    @Test
    void aCommittedOffsetIsNotOfferedAgainUntilItMoves() {
        tracker.take(P0, 0);
        tracker.take(P0, 1);
        tracker.finish(P0, 0);
        tracker.committed(tracker.committable());

        assertThat(tracker.committable()).isEmpty();

        tracker.finish(P0, 1);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void partitionsAreTrackedSeparately() {
        tracker.take(P0, 5);
        tracker.take(P1, 100);
        tracker.finish(P1, 100);

        assertThat(tracker.committable()).containsExactly(Map.entry(P1, new OffsetAndMetadata(101)));
        assertThat(tracker.unsettled(List.of(P0, P1))).isEqualTo(1);
    }

    @Test
    void finishingTwiceOrAnUnknownOffsetChangesNothing() {
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        tracker.finish(P0, 2);
        tracker.finish(P0, 2);
        tracker.finish(P0, 99);
        tracker.finish(P1, 1);

        assertThat(tracker.unsettled(List.of(P0))).isEqualTo(1);
        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void thousandsOfOutOfOrderFinishesLeaveTheRightWatermark() {
        for (long offset = 0; offset < 5000; offset++) {
            tracker.take(P0, offset);
        }
        for (long offset = 4999; offset >= 1; offset--) {
            tracker.finish(P0, offset);
        }
        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.unsettled(List.of(P0))).isEqualTo(1);

        tracker.finish(P0, 0);

        assertThat(tracker.committable().get(P0).offset()).isEqualTo(5000);
        assertThat(tracker.unsettled(List.of(P0))).isZero();
    }

    @Test
    void awaitSettledReturnsWhenTheLastEventFinishes() throws Exception {
        tracker.take(P0, 1);
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return tracker.awaitSettled(List.of(P0), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        tracker.finish(P0, 1);

        assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitSettledGivesUpAfterItsTimeout() throws Exception {
        tracker.take(P0, 1);

        assertThat(tracker.awaitSettled(List.of(P0), Duration.ofMillis(50))).isFalse();
    }

    @Test
    void aForgottenPartitionHasNothingToCommit() {
        tracker.take(P0, 1);
        tracker.finish(P0, 1);

        tracker.forget(List.of(P0));

        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.unsettled(List.of(P0))).isZero();
    }

    @Test
    void anAbandonedEventIsSettledButTheWatermarkStaysBelowIt() throws Exception {
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        tracker.take(P0, 3);

        tracker.finish(P0, 1);
        tracker.abandon(P0, 2);
        tracker.finish(P0, 3);

        assertThat(tracker.unsettled(List.of(P0))).isZero();
        assertThat(tracker.awaitSettled(List.of(P0), Duration.ofMillis(10))).isTrue();
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void anAbandonedEventIsNotFinishedByALateOutcome() {
        tracker.take(P0, 1);
        tracker.abandon(P0, 1);

        tracker.finish(P0, 1);

        assertThat(tracker.committable()).isEmpty();
    }
}
