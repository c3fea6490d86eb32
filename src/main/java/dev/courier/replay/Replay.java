package dev.courier.replay;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.publish.StatusRecords;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Publishes the request events of dead letters again, so Courier makes their calls once more: {@code courier replay}.
 *
 * <ol>
 *   <li><b>Select.</b> Reads the dead-letter topic from {@code --since} (or the beginning) to its end when the replay
 *       starts, so it always ends. Of several dead letters of one event only the latest (most replays, then latest
 *       written) is considered: the filters, then the rules ({@link ReplayCriteria#refusal}), are applied to it, and
 *       an event whose latest dead letter they do not select is not replayed.</li>
 *   <li><b>Check.</b> Reads the results topic to its end and skips every event that has a result (unless
 *       {@code --include-succeeded}): replay learns that from the results topic (it is the one record every success
 *       leaves), so running the same replay again sends nothing new once the first one's events are processed. Then
 *       reads the requests topic (or {@code --to}) from the earliest chosen dead letter on, and skips every event
 *       replayed there more often than its latest dead letter says: that replay is not processed yet (unless
 *       {@code --force}).</li>
 *   <li><b>Publish.</b> Reads the dead letters again in the order they were written and publishes each chosen one's
 *       request event to the requests topic (or {@code --to}) with the same Kafka key, id and idempotencyKey, the
 *       trace context, and {@code courier-replay-count} one more than before; at most {@code --rate} a second.
 *       Headers redacted at rest are left out (a named target adds its credentials again).</li>
 * </ol>
 *
 * <p>This class reads the topics, phase by phase; what the records read decide is {@link Selection}'s, and the
 * sending is {@link Republisher}'s.
 *
 * <p>With {@link #writingStatuses}, each replayed event's {@code pending} status (its new replay count) is published
 * to the status topic before its request ({@link StatusFirst}), so the status view shows it pending, not failed,
 * until Courier has processed it.
 *
 * <p>The producer is the caller's, idempotent. {@link #stop()} (from another thread, say on SIGINT) ends the replay
 * before the next dead letter written later than the last one sent, so that every dead letter written before the
 * summary's resume time was replayed and none after: {@code --since} that time replays exactly the rest. Not
 * thread-safe apart from {@link #stop()}.
 */
public final class Replay {

    /** Hears the replay's progress; called on the replay's thread. */
    public interface Listener {

        /** A phase begins; {@code total} records are to be read in it. */
        default void phase(String name, long total) {
        }

        /** One more record of the phase was read. */
        default void read() {
        }

        Listener NONE = new Listener() {
        };
    }

    /**
     * How much earlier than the earliest chosen dead letter the requests topic is read for replays not processed
     * yet: a replay is written after the dead letter it repeats, but by another machine's clock.
     */
    private static final Duration REPLAY_CLOCK_SKEW = Duration.ofMinutes(5);

    private final Supplier<KafkaConsumer<byte[], byte[]>> consumers;
    private final Producer<byte[], byte[]> producer;
    private final EventCodec codec;
    private final String deadLettersTopic;
    private final String resultsTopic;
    private final String toTopic;
    private final ReplayCriteria criteria;
    private final Bucket rate;
    private final Listener listener;
    private StatusRecords statuses;
    private volatile boolean stopped;

    /**
     * @param consumers  makes a consumer outside any group, reading committed data only; one per phase, closed here
     * @param producer   an idempotent producer of raw bytes; the caller closes it
     * @param perSecond  the most events published a second, or null for as fast as the producer takes them
     */
    public Replay(Supplier<KafkaConsumer<byte[], byte[]>> consumers, Producer<byte[], byte[]> producer,
            EventCodec codec, String deadLettersTopic, String resultsTopic, String toTopic, ReplayCriteria criteria,
            Double perSecond, Listener listener) {
        this.consumers = consumers;
        this.producer = producer;
        this.codec = codec;
        this.deadLettersTopic = deadLettersTopic;
        this.resultsTopic = resultsTopic;
        this.toTopic = toTopic;
        this.criteria = criteria;
        this.rate = perSecond == null ? null : Bucket.builder()
                .addLimit(limit -> limit.capacity(Math.max(1, perSecond.longValue()))
                        .refillGreedy(Math.max(1, perSecond.longValue()), Duration.ofSeconds(1)))
                .build();
        this.listener = listener;
    }

    /**
     * Publishes a {@code pending} status of each replayed event with {@code statuses}, before its request; call it
     * before {@link #run}, and only when the replay goes to the requests topic Courier reads (a status written for
     * another topic would stay pending).
     *
     * @return this replay
     */
    public Replay writingStatuses(StatusRecords statuses) {
        this.statuses = statuses;
        return this;
    }

    /** Ends the replay at the next timestamp boundary (see the class comment); any thread. */
    public void stop() {
        stopped = true;
    }

    /**
     * What a replay would do, publishing nothing.
     *
     * @throws SchemaRegistryException when the registry cannot be asked for a dead letter's schema
     */
    public ReplaySummary dryRun() throws SchemaRegistryException {
        Selection selection = select();
        return selection.summary(0, false, null);
    }

    /**
     * Replays the chosen dead letters.
     *
     * @throws SchemaRegistryException when the registry cannot be asked
     * @throws org.apache.kafka.common.KafkaException when publishing fails for good; the summary of what was sent
     *         is lost with it, so the caller says so
     */
    public ReplaySummary run() throws SchemaRegistryException {
        Selection selection = select();
        if (selection.isEmpty() || stopped) {
            return selection.summary(0, stopped, null);
        }
        Republisher republisher = new Republisher(producer, codec, deadLettersTopic, toTopic, rate, statuses);
        List<Selection.Position> order = selection.inOrder();
        Set<Selection.Position> pending = new HashSet<>(order);
        long[] lastSent = {Long.MIN_VALUE};
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            listener.phase("Replaying", selection.range().size());
            // A stop takes effect at the next new timestamp: every dead letter written before the resume time is
            // replayed, and none at or after it.
            InTimeOrder.scan(consumer, selection.range(), record -> {
                listener.read();
                Selection.Position position = Selection.Position.of(record);
                if (pending.remove(position)) {
                    if (!republisher.publish(record)) {
                        stopped = true;
                    }
                    lastSent[0] = record.timestamp();
                }
            }, next -> !republisher.failed() && !pending.isEmpty() && !(stopped && next.timestamp() > lastSent[0]));
        }
        long replayed = republisher.finish();
        Instant resume = pending.isEmpty() ? null : order.stream().filter(pending::contains).findFirst()
                .map(position -> Instant.ofEpochMilli(position.timestamp())).orElse(null);
        return selection.summary(replayed, !pending.isEmpty(), resume);
    }

    /** Reads the dead letters and the results, and decides what to replay. */
    private Selection select() throws SchemaRegistryException {
        Selection selection;
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            TopicRange range = TopicRange.of(consumer, deadLettersTopic, criteria.since());
            selection = new Selection(range, criteria);
            listener.phase("Reading dead letters", range.size());
            SchemaRegistryException[] unreachable = {null};
            range.scan(consumer, record -> {
                listener.read();
                try {
                    selection.consider(record, codec.decodeDeadLetter(deadLettersTopic, record.value()));
                } catch (DecodeException e) {
                    selection.unreadable();
                } catch (SchemaRegistryException e) {
                    unreachable[0] = e;
                }
            }, () -> stopped || unreachable[0] != null);
            if (unreachable[0] != null) {
                throw unreachable[0];
            }
            selection.choose();
        }
        if (criteria.skipSucceeded() && !selection.isEmpty() && !stopped) {
            check(resultsTopic, null, "Reading results", selection, record -> {
                try {
                    selection.succeeded(codec.decodeResultRequestId(resultsTopic, record.value()));
                } catch (DecodeException | SchemaRegistryException e) {
                    // not a result Courier can read: it cannot say an event succeeded
                }
            });
        }
        if (!criteria.force() && !selection.isEmpty() && !stopped) {
            check(toTopic, selection.earliestChosen().minus(REPLAY_CLOCK_SKEW), "Reading replays not processed yet",
                    selection, record -> {
                        int replayCount = OutcomeHeaders.replayCount(record.headers());
                        if (replayCount > 0) {
                            try {
                                selection.replayed(codec.decodeRequest(toTopic, record.value()).id(), replayCount);
                            } catch (DecodeException | SchemaRegistryException e) {
                                // not a request Courier can read: it cannot say which event was replayed
                            }
                        }
                    });
        }
        selection.applyMax(criteria.max());
        return selection;
    }

    /**
     * Reads {@code topic} from {@code since} (null: its beginning) to its end, giving each record to {@code check},
     * until nothing is left chosen or the replay is stopped.
     */
    private void check(String topic, Instant since, String phase, Selection selection,
            Consumer<ConsumerRecord<byte[], byte[]>> check) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            TopicRange range = TopicRange.of(consumer, topic, since);
            listener.phase(phase, range.size());
            range.scan(consumer, record -> {
                listener.read();
                check.accept(record);
            }, () -> stopped || selection.isEmpty());
        }
    }
}
