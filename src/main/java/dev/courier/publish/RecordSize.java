package dev.courier.publish;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An upper bound of the bytes a record takes in a Kafka batch of its own: key, value and headers with their
 * length prefixes, the record's own fields and the batch header. The producer's {@code max.request.size}
 * and the topic's {@code max.message.bytes} are compared with about this.
 */
final class RecordSize {

    /** Kafka's batch header (v2). */
    private static final int BATCH_OVERHEAD = 61;
    /** A record's length, attributes, timestamp and offset deltas, key and value lengths and header count, at most. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** A header's name and value lengths, at most. */
    private static final int HEADER_OVERHEAD = 10;

    private RecordSize() {
    }

    static long of(ProducerRecord<byte[], byte[]> record) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return size;
    }

    /**
     * Whether a record of {@code size} bytes fits a limit of {@code maxBytes}, with room for what compression may
     * add to data that does not compress (LZ4 adds at most one byte in 255, plus a frame).
     */
    static boolean fits(long size, int maxBytes) {
        return size + size / 250 + 64 <= maxBytes;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
