package dev.courier.intake;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Which offsets above a partition's committed offset are already finished, written into the commit's
 * metadata so that after a restart or a rebalance those events are skipped, not repeated.
 *
 * <p>Format: empty when none is finished; else {@code c2:}, the committed offset the record is relative to in
 * decimal, then {@code :b:} and a base64 bitset (bit {@code i} is the offset {@code committed + i}), or
 * {@code :r:} and base64 varints of alternating run lengths (not finished, finished, not finished, ...)
 * starting at the committed offset, whichever is shorter. The bitset of a span of {@link #MAX_SPAN} offsets
 * and the longest offset fit in {@link #MAX_METADATA} characters, so an encoding never exceeds it when the
 * span is kept within that bound.
 *
 * <p>The record is tied to its offset: read with any other committed offset (an offset reset tool carried the
 * metadata over, say) it says nothing, so no record is skipped without an outcome. The first format,
 * {@code c1:}, did not record its offset and is not trusted. Stateless.
 */
final class CompletedOffsets {

    /** Kafka's default {@code offset.metadata.max.bytes}. */
    static final int MAX_METADATA = 4096;
    /** Offsets past the committed one whose states always fit: a bitset of 3,000 bytes is 4,000 base64 characters. */
    static final int MAX_SPAN = 24_000;

    private static final String VERSION = "c2:";
    private static final String BITSET = ":b:";
    private static final String RUNS = ":r:";

    private CompletedOffsets() {
    }

    /**
     * @param committed the committed offset (the first event not finished)
     * @param finished  offsets above {@code committed} that are finished, ascending, each below
     *                  {@code committed + MAX_SPAN}
     */
    static String encode(long committed, long[] finished) {
        if (finished.length == 0) {
            return "";
        }
        String bitset = Base64.getEncoder().withoutPadding().encodeToString(bitset(committed, finished));
        String runs = Base64.getEncoder().withoutPadding().encodeToString(runs(committed, finished));
        return VERSION + committed + (runs.length() < bitset.length() ? RUNS + runs : BITSET + bitset);
    }

    /**
     * The finished offsets above {@code committed} that {@code metadata} records, ascending; empty for
     * metadata Courier did not write, and for metadata written for another committed offset.
     */
    static long[] decode(long committed, String metadata) {
        if (!metadata.startsWith(VERSION)) {
            return new long[0];
        }
        String prefix = VERSION + committed;
        try {
            if (metadata.startsWith(prefix + BITSET)) {
                return fromBitset(committed, Base64.getDecoder().decode(metadata.substring(prefix.length() + 3)));
            }
            if (metadata.startsWith(prefix + RUNS)) {
                return fromRuns(committed, Base64.getDecoder().decode(metadata.substring(prefix.length() + 3)));
            }
        } catch (IllegalArgumentException e) {
            // damaged: nothing is known to be finished
        }
        return new long[0];
    }

    private static byte[] bitset(long committed, long[] finished) {
        long span = finished[finished.length - 1] - committed + 1;
        byte[] bits = new byte[(int) ((span + 7) / 8)];
        for (long offset : finished) {
            long bit = offset - committed;
            bits[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
        }
        return bits;
    }

    private static long[] fromBitset(long committed, byte[] bits) {
        long[] finished = new long[bits.length * 8];
        int count = 0;
        for (int bit = 0; bit < bits.length * 8; bit++) {
            if ((bits[bit / 8] & (1 << (bit % 8))) != 0) {
                finished[count++] = committed + bit;
            }
        }
        return Arrays.copyOf(finished, count);
    }

    private static byte[] runs(long committed, long[] finished) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long next = committed;
        int i = 0;
        while (i < finished.length) {
            writeVarint(out, finished[i] - next);
            int start = i;
            while (i + 1 < finished.length && finished[i + 1] == finished[i] + 1) {
                i++;
            }
            writeVarint(out, i - start + 1);
            next = finished[i] + 1;
            i++;
        }
        return out.toByteArray();
    }

    private static long[] fromRuns(long committed, byte[] runs) {
        long[] position = {0};
        long offset = committed;
        long[] finished = new long[16];
        int count = 0;
        while (position[0] < runs.length) {
            offset += readVarint(runs, position);
            long length = readVarint(runs, position);
            if (length > MAX_SPAN || offset - committed + length > MAX_SPAN) {
                throw new IllegalArgumentException("run beyond the span bound");
            }
            for (long k = 0; k < length; k++) {
                if (count == finished.length) {
                    finished = Arrays.copyOf(finished, count * 2);
                }
                finished[count++] = offset++;
            }
        }
        return Arrays.copyOf(finished, count);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, long[] position) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position[0] >= bytes.length) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = bytes[(int) position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
