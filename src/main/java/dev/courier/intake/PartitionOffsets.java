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
 * <p>Not thread-safe; {@link OffsetTracker} guards it.
 */
final class PartitionOffsets {

    private static final byte TAKEN = 0;
    private static final byte FINISHED = 1;
    private static final byte ABANDONED = 2;

    private long[] offsets = new long[16];
    private byte[] states = new byte[16];
    private int head;
    private int size;
    private int settledInRing;
    private long watermark = -1;
    private long committed = -1;

    /** Records that the event at {@code offset} was taken; offsets must be taken in increasing order. */
    void take(long offset) {
        if (size > 0 && offset <= offsets[index(size - 1)]) {
            throw new IllegalArgumentException("offset " + offset + " taken after " + offsets[index(size - 1)]);
        }
        if (committed < 0) {
            committed = offset; // the position the partition was read from: nothing new to commit yet
        }
        if (size == offsets.length) {
            grow();
        }
        int tail = index(size);
        offsets[tail] = offset;
        states[tail] = TAKEN;
        size++;
    }

    /** Records that the event at {@code offset} has its outcome; an offset never taken or already settled is ignored. */
    void finish(long offset) {
        if (!settle(offset, FINISHED)) {
            return;
        }
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

    /** The offset to commit if it moved since the last {@link #markCommitted}, else -1. */
    long committable() {
        long next = size > 0 ? offsets[head] : watermark;
        return next > committed ? next : -1;
    }

    void markCommitted(long offset) {
        committed = Math.max(committed, offset);
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
