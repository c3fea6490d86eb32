package dev.courier.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes replayed requests after their {@code pending} statuses: a batch of statuses is sent and acknowledged
 * before any request of the batch is sent. So Courier's own status of a replayed event (written once it has read the
 * request) always follows its pending status on the status topic, and the view never shows an event pending again
 * after its outcome. A batch closes at {@link #BATCH} events or {@link #LINGER} after its first, whichever comes first,
 * so a rate-limited replay still sends its requests as the rate allows; one acknowledgement wait a batch is all it
 * costs.
 *
 * <p>A status that fails leaves its batch's requests unsent, and every later one: the first failure is kept for the
 * caller. Not thread-safe: the replay's thread only (the producer's callbacks excepted).
 */
final class StatusFirst {

    /** The most events in one batch. */
    static final int BATCH = 500;
    /** The longest a batch waits for more events before it is sent. */
    static final Duration LINGER = Duration.ofMillis(50);

    private final Producer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure;
    private final List<ProducerRecord<byte[], byte[]>> statuses = new ArrayList<>(BATCH);
    private final List<ProducerRecord<byte[], byte[]>> requests = new ArrayList<>(BATCH);
    private final List<Callback> sent = new ArrayList<>(BATCH);
    private long firstAddedNanos;

    /** @param failure gets the first failure of a status or a request */
    StatusFirst(Producer<byte[], byte[]> producer, AtomicReference<Exception> failure) {
        this.producer = producer;
        this.failure = failure;
    }

    /** Queues {@code request} behind {@code status}; {@code onSent} hears what became of the request. */
    void add(ProducerRecord<byte[], byte[]> status, ProducerRecord<byte[], byte[]> request, Callback onSent) {
        if (statuses.isEmpty()) {
            firstAddedNanos = System.nanoTime();
        }
        statuses.add(status);
        requests.add(request);
        sent.add(onSent);
        if (statuses.size() >= BATCH || System.nanoTime() - firstAddedNanos >= LINGER.toNanos()) {
            flush();
        }
    }

    /** Sends the queued statuses, waits for their acknowledgement, then sends their requests. */
    void flush() {
        if (statuses.isEmpty()) {
            return;
        }
        for (ProducerRecord<byte[], byte[]> status : statuses) {
            producer.send(status, (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
        }
        producer.flush();
        if (failure.get() == null) {
            for (int i = 0; i < requests.size(); i++) {
                producer.send(requests.get(i), sent.get(i));
            }
        }
        statuses.clear();
        requests.clear();
        sent.clear();
    }
}
