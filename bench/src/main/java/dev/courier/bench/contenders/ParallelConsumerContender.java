package dev.courier.bench.contenders;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Confluent's parallel-consumer as a Courier would-be replacement, through its documented public API: a
 * {@link ParallelStreamProcessor} with {@code maxConcurrency} equal to Courier's workers, the ordering under test
 * (UNORDERED or KEY), consumer-side asynchronous periodic commits (its default, at-least-once, like Courier's
 * default), and {@code pollAndProduce}: the poll function decodes the event, makes its HTTP call with OkHttp and
 * returns the outcome record, which parallel-consumer produces before it counts the event done.
 *
 * <p>Runs until SIGTERM; then closes the processor (which drains and commits).
 */
public final class ParallelConsumerContender {

    private ParallelConsumerContender() {
    }

    public static void main(String[] args) throws InterruptedException {
        ContenderSettings settings = ContenderSettings.fromSystemProperties();
        RequestReader reader = new RequestReader(settings.registry());
        HttpWork http = new HttpWork(settings.concurrency());
        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(KafkaSetup.consumer(settings))
                .producer(KafkaSetup.producer(settings))
                .ordering(ProcessingOrder.valueOf(settings.ordering()))
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .maxConcurrency(settings.concurrency())
                .build();
        ParallelStreamProcessor<byte[], byte[]> processor = ParallelStreamProcessor.createEosStreamProcessor(options);
        processor.subscribe(List.of(settings.requests()));
        processor.pollAndProduce(context -> {
            ConsumerRecord<byte[], byte[]> record = context.getSingleConsumerRecord();
            RequestReader.Request event = reader.read(record.value());
            ProducerRecord<byte[], byte[]> outcome = new ProducerRecord<>(settings.results(), record.key(),
                    http.call(event));
            outcome.headers().add(new RecordHeader("courier-request-id", event.id().getBytes(StandardCharsets.UTF_8)));
            return outcome;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processor.closeDontDrainFirst();
            stopped.countDown();
        }, "bench-shutdown"));
        System.err.println("parallel-consumer " + settings.ordering() + " running with maxConcurrency "
                + settings.concurrency());
        stopped.await();
    }
}
