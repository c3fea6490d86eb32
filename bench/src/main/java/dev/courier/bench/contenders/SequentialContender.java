package dev.courier.bench.contenders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The naive baseline, one thread: poll a batch; for each record decode it, make its call and send its outcome; then
 * flush the producer and commit the batch's offsets synchronously. At-least-once, one call at a time.
 *
 * <p>With {@code -Dbench.http=false} it makes no call and produces the outcome straight away: the <em>raw
 * bound</em>, what consuming and producing alone cost on this broker (the record is still decoded, so only the HTTP
 * call is missing). It is fast enough to finish any backlog the harness can load in the time of a run, so it reads
 * the (unchanging) backlog again from the beginning each time it reaches the end.
 */
public final class SequentialContender {

    private SequentialContender() {
    }

    /** Seeks back to the start once every assigned partition is read to its end ({@code ends}, fetched once). */
    private static void readAgainAtTheEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        if (!ends.keySet().containsAll(consumer.assignment())) {
            ends.putAll(consumer.endOffsets(consumer.assignment()));
        }
        for (TopicPartition partition : consumer.assignment()) {
            if (consumer.position(partition) < ends.get(partition)) {
                return;
            }
        }
        consumer.seekToBeginning(consumer.assignment());
    }

    public static void main(String[] args) {
        ContenderSettings settings = ContenderSettings.fromSystemProperties();
        boolean withHttp = Boolean.parseBoolean(System.getProperty("bench.http", "true"));
        RequestReader reader = new RequestReader(settings.registry());
        HttpWork http = withHttp ? new HttpWork(1) : null;
        AtomicBoolean running = new AtomicBoolean(true);
        KafkaConsumer<byte[], byte[]> consumer = KafkaSetup.consumer(settings);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            consumer.wakeup();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-shutdown"));
        try (consumer; KafkaProducer<byte[], byte[]> producer = KafkaSetup.producer(settings)) {
            consumer.subscribe(List.of(settings.requests()));
            System.err.println((withHttp ? "sequential loop" : "raw bound") + " running");
            Map<TopicPartition, Long> ends = new HashMap<>();
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    RequestReader.Request event = reader.read(record.value());
                    byte[] outcome = withHttp ? http.call(event) : HttpWork.outcome(event.id(), 200, 0, "{\"ok\":true}");
                    ProducerRecord<byte[], byte[]> sent = new ProducerRecord<>(settings.results(), record.key(), outcome);
                    sent.headers().add(new RecordHeader("courier-request-id", event.id().getBytes(StandardCharsets.UTF_8)));
                    producer.send(sent);
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.flush();
                consumer.commitSync(offsets);
                if (!withHttp) {
                    readAgainAtTheEnd(consumer, ends);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        }
    }
}
