package dev.courier.intake;

import dev.courier.config.Ordering;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The dispatcher's ordering key of a record under the configured {@link Ordering}; null means unordered. */
final class OrderingKeys {

    /** A Kafka key within its partition; equal by content. */
    private record KeyInPartition(int partition, ByteBuffer key) {
    }

    private final Ordering ordering;

    OrderingKeys(Ordering ordering) {
        this.ordering = ordering;
    }

    Object of(ConsumerRecord<byte[], byte[]> record) {
        return switch (ordering) {
            case UNORDERED -> null;
            case PARTITION -> new TopicPartition(record.topic(), record.partition());
            case KEY -> record.key() == null ? null : new KeyInPartition(record.partition(), ByteBuffer.wrap(record.key()));
        };
    }
}
