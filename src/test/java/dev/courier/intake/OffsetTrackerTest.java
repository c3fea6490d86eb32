package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.intake.PartitionOffsets.Taken;
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
    void theOffsetStaysAtTheOldestUnfinishedEventWhileLaterOnesGoIntoItsMetadata() {
        tracker.take(P0, 10);
        tracker.take(P0, 11);
        tracker.take(P0, 12);

        tracker.finish(P0, 11, 0);
        tracker.finish(P0, 12, 0);

        OffsetAndMetadata committable = tracker.committable().offsets().get(P0);
        assertThat(committable.offset()).isEqualTo(10);
        assertThat(CompletedOffsets.decode(10, committable.metadata())).containsExactly(11, 12);
    }

    @Test
    void theCommittableOffsetIsTheFirstUnfinishedOne() {
        tracker.take(P0, 10);
        tracker.take(P0, 11);
        tracker.take(P0, 12);

        tracker.finish(P0, 10, 0);
        tracker.finish(P0, 12, 0);

        OffsetAndMetadata committable = tracker.committable().offsets().get(P0);
        assertThat(committable.offset()).isEqualTo(11);
        assertThat(CompletedOffsets.decode(11, committable.metadata())).containsExactly(12);
    }

    @Test
    void whenEverythingIsFinishedTheOffsetAfterTheLastIsCommittable() {
        tracker.take(P0, 10);
        tracker.take(P0, 14);

        tracker.finish(P0, 14, 0);
        tracker.finish(P0, 10, 0);

        assertThat(tracker.committable().offsets()).containsExactly(Map.entry(P0, new OffsetAndMetadata(15)));
    }

    @Test
    void gapsInOffsetsDoNotHoldTheWatermark() {
        tracker.take(P0, 3);
        tracker.take(P0, 7);
        tracker.take(P0, 9);

        tracker.finish(P0, 3, 0);
        tracker.finish(P0, 7, 0);

        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(9);
    }

    @Test
    void aCommittedOffsetIsNotOfferedAgainUntilItMoves() {
        tracker.take(P0, 0);
        tracker.take(P0, 1);
        tracker.finish(P0, 0, 0);
        tracker.committed(tracker.committable());

        assertThat(tracker.committable().offsets()).isEmpty();

        tracker.finish(P0, 1, 0);
        assertThat(tracker.committable().offsets()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
    }

    @Test
    void partitionsAreTrackedSeparately() {
        tracker.take(P0, 5);
        tracker.take(P1, 100);
        tracker.finish(P1, 100, 0);

        assertThat(tracker.committable().offsets()).containsExactly(Map.entry(P1, new OffsetAndMetadata(101)));
        assertThat(tracker.unsettled(List.of(P0, P1))).isEqualTo(1);
    }

    @Test
    void finishingTwiceOrAnUnknownOffsetChangesNothing() {
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        tracker.finish(P0, 2, 0);
        tracker.finish(P0, 2, 0);
        tracker.finish(P0, 99, 0);
        tracker.finish(P1, 1, 0);

        assertThat(tracker.unsettled(List.of(P0))).isEqualTo(1);
        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(1);
        assertThat(CompletedOffsets.decode(1, tracker.committable().offsets().get(P0).metadata())).containsExactly(2);
    }

    @Test
    void thousandsOfOutOfOrderFinishesLeaveTheRightWatermark() {
        for (long offset = 0; offset < 5000; offset++) {
            tracker.take(P0, offset);
        }
        for (long offset = 4999; offset >= 1; offset--) {
            tracker.finish(P0, offset, 0);
        }
        assertThat(tracker.committable().offsets().get(P0).offset()).isZero();
        assertThat(CompletedOffsets.decode(0, tracker.committable().offsets().get(P0).metadata())).hasSize(4999);
        assertThat(tracker.unsettled(List.of(P0))).isEqualTo(1);

        tracker.finish(P0, 0, 0);

        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(5000);
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

        tracker.finish(P0, 1, 0);

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
        tracker.finish(P0, 1, 0);

        tracker.forget(List.of(P0));

        assertThat(tracker.committable().offsets()).isEmpty();
        assertThat(tracker.unsettled(List.of(P0))).isZero();
    }

    @Test
    void anAbandonedEventIsSettledButTheWatermarkStaysBelowIt() throws Exception {
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        tracker.take(P0, 3);

        tracker.finish(P0, 1, 0);
        tracker.abandon(P0, 2, 0);
        tracker.finish(P0, 3, 0);

        assertThat(tracker.unsettled(List.of(P0))).isZero();
        assertThat(tracker.awaitSettled(List.of(P0), Duration.ofMillis(10))).isTrue();
        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(2);
        assertThat(CompletedOffsets.decode(2, tracker.committable().offsets().get(P0).metadata()))
                .as("the abandoned event is not recorded as finished").containsExactly(3);
    }

    @Test
    void anAbandonedEventIsNotFinishedByALateOutcome() {
        tracker.take(P0, 1);
        tracker.abandon(P0, 1, 0);

        tracker.finish(P0, 1, 0);

        assertThat(tracker.committable().offsets()).isEmpty();
    }

    @Test
    void finishedOffsetsAboveTheCommittedOneAreRecordedInItsMetadataAndOfferedWhenTheyChange() {
        tracker.take(P0, 0);
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        tracker.finish(P0, 1, 0);
        tracker.committed(tracker.committable());

        assertThat(tracker.committable().offsets()).isEmpty();
        tracker.finish(P0, 2, 0);

        OffsetAndMetadata again = tracker.committable().offsets().get(P0);
        assertThat(again.offset()).isZero();
        assertThat(CompletedOffsets.decode(0, again.metadata())).containsExactly(1, 2);
    }

    @Test
    void eventsFinishedBeforeARestartAreTakenAsFinishedAndNotProcessedAgain() {
        tracker.take(P0, 5);
        tracker.take(P0, 6);
        tracker.take(P0, 7);
        tracker.finish(P0, 6, 0);
        OffsetAndMetadata committed = tracker.committable().offsets().get(P0);

        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, committed, 7);

        assertThat(next.take(P0, 5)).isEqualTo(Taken.NEW);
        assertThat(next.take(P0, 6)).as("finished by the previous owner").isEqualTo(Taken.FINISHED_BEFORE);
        assertThat(next.take(P0, 7)).isEqualTo(Taken.NEW);
        next.finish(P0, 5, 7);
        assertThat(next.committable().offsets().get(P0).offset()).isEqualTo(7);
    }

    @Test
    void aPartitionStopsTakingWhenItsSpanWouldPassTheBound() {
        tracker.take(P0, 100);
        tracker.take(P0, 100 + CompletedOffsets.MAX_SPAN - 1);

        assertThat(tracker.hasRoom(P0, 100 + CompletedOffsets.MAX_SPAN)).isFalse();
        tracker.finish(P0, 100, 0);
        assertThat(tracker.hasRoom(P0, 100 + CompletedOffsets.MAX_SPAN)).isTrue();
        assertThat(tracker.hasRoom(P1, 1_000_000)).as("an untracked partition has room").isTrue();
    }

    @Test
    void aPartitionAssignedWithNothingCommittedStartsFromItsFirstTakenOffset() {
        tracker.assigned(P0, null, 3);
        tracker.take(P0, 40);

        assertThat(tracker.committable().offsets()).isEmpty();
        tracker.finish(P0, 40, 3);
        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(41);
    }

    @Test
    void aLateOutcomeFromAnEarlierOwnershipOfThePartitionIsIgnored() {
        tracker.assigned(P0, null, 1);
        tracker.take(P0, 10);
        tracker.assigned(P0, new OffsetAndMetadata(10), 2);
        tracker.take(P0, 10);

        tracker.finish(P0, 10, 1);
        tracker.abandon(P0, 10, 1);

        assertThat(tracker.unsettled(List.of(P0))).as("the event taken in epoch 2 is still pending").isEqualTo(1);
        tracker.finish(P0, 10, 2);
        assertThat(tracker.committable().offsets().get(P0).offset()).isEqualTo(11);
    }

    @Test
    void anEventCountsAsInFlightUntilTheCommitThatCoversItSucceeds() {
        tracker.take(P0, 1);
        tracker.take(P0, 2);
        assertThat(tracker.inFlight()).isEqualTo(2);

        tracker.finish(P0, 1, 0);
        assertThat(tracker.inFlight()).as("finished but not committed: a crash would redo it").isEqualTo(2);

        OffsetTracker.Snapshot snapshot = tracker.committable();
        tracker.finish(P0, 2, 0);
        tracker.committed(snapshot);
        assertThat(tracker.inFlight()).as("the commit covered the first only").isEqualTo(1);

        tracker.committed(tracker.committable());
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void anAbandonedEventIsNoLongerInFlight() {
        tracker.take(P0, 1);

        tracker.abandon(P0, 1, 0);

        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void eventsSkippedBecauseAPreviousOwnerFinishedThemLeaveFlightWithTheNextCommit() {
        tracker.assigned(P0, new OffsetAndMetadata(5, CompletedOffsets.encode(5, new long[] {6, 7})), 1);
        tracker.take(P0, 5);
        tracker.take(P0, 6);
        tracker.take(P0, 7);
        assertThat(tracker.inFlight()).isEqualTo(3);

        tracker.committed(tracker.committable());

        assertThat(tracker.inFlight()).as("only the event at the committed offset is left").isEqualTo(1);
    }

    @Test
    void finishedOffsetsRecordedForACommittedOffsetAreIgnoredWhenReadingStartsBelowIt() {
        tracker.assigned(P0, new OffsetAndMetadata(5, CompletedOffsets.encode(5, new long[] {6, 7})), 1);

        assertThat(tracker.take(P0, 0)).as("the position was reset below the committed offset").isEqualTo(Taken.NEW);
        tracker.take(P0, 5);
        assertThat(tracker.take(P0, 6)).as("offset 6 may now hold another record").isEqualTo(Taken.NEW);
    }

    @Test
    void metadataCarriedOverToAnotherOffsetSkipsNothing() {
        String writtenFor100 = CompletedOffsets.encode(100, new long[] {101, 102});
        tracker.assigned(P0, new OffsetAndMetadata(20, writtenFor100), 1);

        for (long offset = 20; offset <= 102; offset++) {
            assertThat(tracker.take(P0, offset)).as("offset %d", offset).isEqualTo(Taken.NEW);
        }
    }

    @Test
    void anOffsetAtOrBelowOneTakenIsBehindAndRecordsNothing() {
        tracker.take(P0, 10);
        tracker.take(P0, 11);

        assertThat(tracker.take(P0, 11)).isEqualTo(Taken.BEHIND);
        assertThat(tracker.take(P0, 3)).isEqualTo(Taken.BEHIND);
        assertThat(tracker.unsettled(List.of(P0))).isEqualTo(2);
        tracker.finish(P0, 10, 0);
        tracker.finish(P0, 11, 0);
        assertThat(tracker.take(P0, 11)).as("below the watermark").isEqualTo(Taken.BEHIND);
        assertThat(tracker.take(P0, 12)).isEqualTo(Taken.NEW);
    }
}
