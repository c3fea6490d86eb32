package dev.courier.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A replay's pending statuses are acknowledged before any of their requests is sent. */
class StatusFirstTest {

    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicInteger requestsSent = new AtomicInteger();

    @Test
    void aBatchsStatusesAreAcknowledgedBeforeAnyOfItsRequestsIsSent() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        StatusFirst sends = new StatusFirst(producer, failure);

        for (int i = 0; i < 3; i++) {
            sends.add(record("status", "r-" + i), record("requests", "r-" + i), (metadata, error) -> {
                if (error == null) {
                    requestsSent.incrementAndGet();
                }
            });
        }
        assertThat(producer.history()).as("a batch waits for more, up to its size or its linger").isEmpty();
        sends.flush();

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly("status", "status", "status", "requests", "requests", "requests");
        assertThat(producer.flushed()).isTrue();
        assertThat(requestsSent).hasValue(3);
    }

    @Test
    void aFullBatchIsSentWithoutWaiting() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        StatusFirst sends = new StatusFirst(producer, failure);

        for (int i = 0; i < StatusFirst.BATCH; i++) {
            sends.add(record("status", "r-" + i), record("requests", "r-" + i), (metadata, error) -> {
            });
        }

        assertThat(producer.history()).hasSize(2 * StatusFirst.BATCH);
        assertThat(producer.history().subList(0, StatusFirst.BATCH)).extracting(ProducerRecord::topic)
                .containsOnly("status");
    }

    @Test
    void aStatusThatFailsLeavesItsBatchsRequestsUnsent() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(new KafkaException("the status topic refuses writes"))) {
                    // every send so far fails
                }
            }
        };
        StatusFirst sends = new StatusFirst(producer, failure);
        sends.add(record("status", "r-0"), record("requests", "r-0"), (metadata, error) -> requestsSent.incrementAndGet());

        sends.flush();

        assertThat(failure.get()).isNotNull();
        assertThat(requestsSent).hasValue(0);
        assertThat(producer.history()).extracting(ProducerRecord::topic).doesNotContain("requests");
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String id) {
        return new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8));
    }

}
