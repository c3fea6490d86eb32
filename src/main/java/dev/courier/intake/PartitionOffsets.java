package dev.courier.intake;

/**
 * The offsets of one partition taken and not yet finished, in the order they were taken (which is
 * offset order), and the watermark: the offset below which every taken event is finished. Offsets
 * need not be contiguous (compaction and transaction markers leave gaps).
 *
 * <p>An event may also be abandoned (left for the next owner): it is then settled, nobody waits for it,
 * but not finished, so the watermark stays below it and it is redone after the partition moves.
 *
 * <p>A ring of (offset, state) entries: {@link #take} appends, {@link #finish} and {@link #abandon} mark
 * by binary search, and the head advances past finished entries. Memory grows with the number of unfinished entries
 * between the oldest unfinished one and the newest taken, which the engine's in-flight bound limits.
 *
 * <p>The finished offsets above the committed one are written into the commit's metadata
 * ({@link CompletedOffsets}); read back after a restart or rebalance, they are {@link #preload preloaded}
 * and taken as already finished when they are consumed again. The span from the committed offset to the
 * newest taken is kept under {@link CompletedOffsets#MAX_SPAN} ({@link #hasRoom}), so the metadata
 * always fits and memory stays bounded however long one event takes.
 *
 * <p>Not thread-safe; {@link OffsetTracker} guards it.
 */
final class PartitionOffsets {

    private static final byte TAKEN = 0;
    private static final byte FINISHED = 1;
    private static final byte ABANDONED = 2;

    private final long epoch;
    private long[] offsets = new long[16];
    private byte[] states = new byte[16];
    private int head;
    private int size;
    private int settledInRing;
    private long watermark = -1;
    private long committed = -1;
    private String committedMetadata = "";
    private long finishedCount;
    private long committedFinishedCount;
    private long[] preloaded = new long[0];
    private long preloadedFrom = Long.MIN_VALUE;
    private int nextPreloaded;

    /** @param epoch the ownership epoch this tracking belongs to */
    PartitionOffsets(long epoch) {
        this.epoch = epoch;
    }

    long epoch() {
        return epoch;
    }

    /** What {@link #take} found. */
    enum Taken {
        /** A new event, to be processed. */
        NEW,
        /** An event finished before (as the committed metadata says): recorded as finished, not processed again. */
        FINISHED_BEFORE,
        /**
         * An offset at or below one already taken: the fetch position moved back (the log was truncated after an
         * unclean leader election, or the offset was reset). Nothing is recorded; the caller must start the
         * partition's tracking afresh.
         */
        BEHIND
    }

    /** Records that the event at {@code offset} was taken, unless it is {@link Taken#BEHIND}. */
    Taken take(long offset) {
        if (size > 0 ? offset <= offsets[index(size - 1)] : offset < watermark) {
            return Taken.BEHIND;
        }
        if (committed < 0) {
            committed = offset; // the position the partition was read from: nothing new to commit yet
        }
        if (offset < preloadedFrom) {
            preloaded = new long[0]; // read from before the offset the metadata belongs to: it does not apply
        }
        preloadedFrom = Long.MIN_VALUE;
        if (size == offsets.length) {
            grow();
        }
        int tail = index(size);
        offsets[tail] = offset;
        states[tail] = TAKEN;
        size++;
        if (wasFinishedBefore(offset)) {
            finish(offset);
            return Taken.FINISHED_BEFORE;
        }
        return Taken.NEW;
    }

    /**
     * Remembers offsets that were finished before, as read from the metadata committed with {@code committed},
     * so they are not processed again; called when the partition is assigned, before anything is taken. They
     * are forgotten if the first offset taken is below {@code committed}: the position was reset, and those
     * offsets may now hold other records.
     */
    void preload(long committed, long[] finishedBefore) {
        preloaded = finishedBefore.clone();
        preloadedFrom = committed;
        nextPreloaded = 0;
    }

    private boolean wasFinishedBefore(long offset) {
        while (nextPreloaded < preloaded.length && preloaded[nextPreloaded] < offset) {
            nextPreloaded++;
        }
        return nextPreloaded < preloaded.length && preloaded[nextPreloaded] == offset;
    }

    /**
     * Whether the event at {@code offset} may be taken without the span from the committed offset passing
     * {@link CompletedOffsets#MAX_SPAN}; when not, the partition must wait for its oldest event.
     */
    boolean hasRoom(long offset) {
        long base = size > 0 ? offsets[head] : watermark;
        return base < 0 || offset - base < CompletedOffsets.MAX_SPAN;
    }

    /** Records that the event at {@code offset} has its outcome; an offset never taken or already settled is ignored. */
    void finish(long offset) {
        if (!settle(offset, FINISHED)) {
            return;
        }
        finishedCount++;
        while (size > 0 && states[head] == FINISHED) {
            watermark = offsets[head] + 1;
            head = (head + 1) % offsets.length;
            size--;
            settledInRing--;
        }
    }

    /** Records that the event at {@code offset} was abandoned: settled, but the watermark stays below it. */
    void abandon(long offset) {
        settle(offset, ABANDONED);
    }

    private boolean settle(long offset, byte state) {
        int position = find(offset);
        if (position < 0 || states[index(position)] != TAKEN) {
            return false;
        }
        states[index(position)] = state;
        settledInRing++;
        return true;
    }

    /** Events taken and neither finished nor abandoned. */
    int unsettled() {
        return size - settledInRing;
    }

    /**
     * Events in flight: taken and neither abandoned nor finished and committed. An event finished since the
     * last commit still counts, since a crash now would have it redone.
     */
    long inFlight() {
        return unsettled() + finishedCount - committedFinishedCount;
    }

    /** How many events have finished so far; a commit snapshot records it. */
    long finishedCount() {
        return finishedCount;
    }

    /** The offset to commit, or -1 when none is known yet. */
    long committable() {
        return size > 0 ? offsets[head] : watermark;
    }

    /** The metadata to commit with {@link #committable()}: the finished offsets above it. */
    String metadata() {
        long[] finished = new long[size];
        int count = 0;
        for (int i = 1; i < size; i++) {
            if (states[index(i)] == FINISHED) {
                finished[count++] = offsets[index(i)];
            }
        }
        return count == 0 ? "" : CompletedOffsets.encode(offsets[head], java.util.Arrays.copyOf(finished, count));
    }

    /**
     * Whether committing {@code offset} with {@code metadata} would say more than what was last committed,
     * or would settle events finished since (for example, events skipped because a previous owner finished
     * them, which change neither).
     */
    boolean isNews(long offset, String metadata) {
        return offset > committed || (offset == committed && !metadata.equals(committedMetadata))
                || finishedCount > committedFinishedCount;
    }

    /**
     * Records a commit of {@code offset} with {@code metadata}, made from a snapshot taken when
     * {@code finishedAtSnapshot} events had finished: those are no longer in flight.
     */
    void markCommitted(long offset, String metadata, long finishedAtSnapshot) {
        if (offset >= committed) {
            committed = offset;
            committedMetadata = metadata;
        }
        committedFinishedCount = Math.max(committedFinishedCount, finishedAtSnapshot);
    }

    private int find(long offset) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long value = offsets[index(middle)];
            if (value < offset) {
                low = middle + 1;
            } else if (value > offset) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private int index(int position) {
        return (head + position) % offsets.length;
    }

    private void grow() {
        long[] grownOffsets = new long[offsets.length * 2];
        byte[] grownStates = new byte[states.length * 2];
        for (int i = 0; i < size; i++) {
            grownOffsets[i] = offsets[index(i)];
            grownStates[i] = states[index(i)];
        }
        offsets = grownOffsets;
        states = grownStates;
        head = 0;
    }

    @Override
    public String toString() {
        return "PartitionOffsets[watermark=" + watermark + ", unsettled=" + unsettled() + "]";
    }
}
