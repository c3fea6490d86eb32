package dev.courier.intake;

/**
 * The offsets of one partition taken and not yet finished, in the order they were taken (which is
 * offset order), and the watermark: the offset below which every taken event is finished. Offsets
 * need not be contiguous (compaction and transaction markers leave gaps).
 *
 * <p>A ring of (offset, done) entries: {@link #take} appends, {@link #finish} marks by binary search,
 * and the head advances past finished entries. Memory grows with the number of unfinished entries
 * between the oldest unfinished one and the newest taken, which the engine's in-flight bound limits.
 *
 * <p>Not thread-safe; {@link OffsetTracker} guards it.
 */
final class PartitionOffsets {

    private long[] offsets = new long[16];
    private boolean[] done = new boolean[16];
    private int head;
    private int size;
    private int finishedInRing;
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
        done[tail] = false;
        size++;
    }

    /** Records that the event at {@code offset} has its outcome; an offset never taken is ignored. */
    void finish(long offset) {
        int position = find(offset);
        if (position < 0) {
            return;
        }
        int slot = index(position);
        if (done[slot]) {
            return;
        }
        done[slot] = true;
        finishedInRing++;
        while (size > 0 && done[head]) {
            watermark = offsets[head] + 1;
            head = (head + 1) % offsets.length;
            size--;
            finishedInRing--;
        }
    }

    /** Events taken and not finished. */
    int unfinished() {
        return size - finishedInRing;
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
        boolean[] grownDone = new boolean[done.length * 2];
        for (int i = 0; i < size; i++) {
            grownOffsets[i] = offsets[index(i)];
            grownDone[i] = done[index(i)];
        }
        offsets = grownOffsets;
        done = grownDone;
        head = 0;
    }

    @Override
    public String toString() {
        return "PartitionOffsets[watermark=" + watermark + ", unfinished=" + unfinished() + "]";
    }
}
