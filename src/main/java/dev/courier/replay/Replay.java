package dev.courier.replay;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.RequestSpec;
import dev.courier.model.StoredDeadLetter;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.publish.StatusRecords;
import io.github.bucket4j.Bucket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

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

    private static final int FIRST_SHOWN = 5;
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
        if (selection.chosen.isEmpty() || stopped) {
            return selection.summary(0, stopped, null);
        }
        AtomicLong replayed = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Position> order = selection.inOrder();
        Set<Position> pending = new HashSet<>(order);
        long[] lastSent = {Long.MIN_VALUE};
        StatusFirst statusFirst = statuses == null ? null : new StatusFirst(producer, failure);
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            listener.phase("Replaying", selection.range.size());
            // A stop takes effect at the next new timestamp: every dead letter written before the resume time is
            // replayed, and none at or after it.
            InTimeOrder.scan(consumer, selection.range, record -> {
                listener.read();
                Position position = Position.of(record);
                if (pending.remove(position)) {
                    publish(record, replayed, failure, statusFirst);
                    lastSent[0] = record.timestamp();
                }
            }, next -> failure.get() == null && !pending.isEmpty() && !(stopped && next.timestamp() > lastSent[0]));
        }
        if (statusFirst != null) {
            statusFirst.flush();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new org.apache.kafka.common.KafkaException("publishing a replayed event failed after "
                    + replayed.get() + " were published: " + failure.get().getMessage(), failure.get());
        }
        Instant resume = pending.isEmpty() ? null : order.stream().filter(pending::contains).findFirst()
                .map(position -> Instant.ofEpochMilli(position.timestamp())).orElse(null);
        return selection.summary(replayed.get(), !pending.isEmpty(), resume);
    }

    private void publish(ConsumerRecord<byte[], byte[]> record, AtomicLong replayed, AtomicReference<Exception> failure,
            StatusFirst statusFirst) {
        StoredDeadLetter letter;
        byte[] value;
        RequestSpec request;
        try {
            letter = codec.decodeDeadLetter(deadLettersTopic, record.value());
            request = ReplayedRequest.of(letter.request());
            value = codec.encodeRequest(toTopic, request);
        } catch (DecodeException | SchemaRegistryException e) {
            failure.compareAndSet(null, e);
            return;
        }
        if (rate != null) {
            try {
                rate.asBlocking().consume(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return;
            }
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(OutcomeHeaders.REPLAY_COUNT,
                Integer.toString(letter.replayCount() + 1).getBytes(StandardCharsets.UTF_8));
        for (String name : OutcomeHeaders.TRACE_CONTEXT) {
            Header trace = record.headers().lastHeader(name);
            if (trace != null) {
                headers.add(trace);
            }
        }
        org.apache.kafka.clients.producer.Callback sent = (metadata, error) -> {
            if (error == null) {
                replayed.incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
            }
        };
        if (statusFirst == null) {
            producer.send(new ProducerRecord<>(toTopic, null, record.key(), value, headers), sent);
            return;
        }
        try {
            Integer partition = record.key() == null ? null
                    : StatusRecords.partitionOf(record.key(), producer.partitionsFor(toTopic).size());
            ProducerRecord<byte[], byte[]> status = statuses.pending(request.id(), letter.replayCount() + 1, toTopic,
                    partition);
            // the request carries its pending status's timestamp: when it was replayed
            statusFirst.add(status, new ProducerRecord<>(toTopic, null, status.timestamp(), record.key(), value,
                    headers), sent);
        } catch (SchemaRegistryException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Reads the dead letters and the results, and decides what to replay. */
    private Selection select() throws SchemaRegistryException {
        Selection selection;
        try (KafkaConsumer<byte[], byte[]> consumer = consumers.get()) {
            TopicRange range = TopicRange.of(consumer, deadLettersTopic, criteria.since());
            selection = new Selection(range);
            listener.phase("Reading dead letters", range.size());
            SchemaRegistryException[] unreachable = {null};
            range.scan(consumer, record -> {
                listener.read();
                try {
                    selection.consider(record, codec.decodeDeadLetter(deadLettersTopic, record.value()));
                } catch (DecodeException e) {
                    selection.read++;
                    selection.skip(SkipReason.UNREADABLE);
                } catch (SchemaRegistryException e) {
                    unreachable[0] = e;
                }
            }, () -> stopped || unreachable[0] != null);
            if (unreachable[0] != null) {
                throw unreachable[0];
            }
            selection.choose();
        }
        if (criteria.skipSucceeded() && !selection.chosen.isEmpty() && !stopped) {
            check(resultsTopic, null, "Reading results", selection, record -> {
                try {
                    selection.succeeded(codec.decodeResultRequestId(resultsTopic, record.value()));
                } catch (DecodeException | SchemaRegistryException e) {
                    // not a result Courier can read: it cannot say an event succeeded
                }
            });
        }
        if (!criteria.force() && !selection.chosen.isEmpty() && !stopped) {
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
            }, () -> stopped || selection.chosen.isEmpty());
        }
    }

    /** Where a dead letter is, and when it was written. */
    private record Position(int partition, long offset, long timestamp) {

        static Position of(ConsumerRecord<?, ?> record) {
            return new Position(record.partition(), record.offset(), record.timestamp());
        }

        static final Comparator<Position> IN_TIME_ORDER = Comparator.comparingLong(Position::timestamp)
                .thenComparingInt(Position::partition).thenComparingLong(Position::offset);
    }

    /**
     * The latest dead letter of an event, with what the summary counts of it, whether the filters select it, and why
     * it must not be replayed (null when it may be, or when it is not selected).
     */
    private record Candidate(Position position, int replayCount, String category, String host, String status,
            boolean selected, SkipReason refusal) {
    }

    /** The dead letters read, and the latest one of each event, to be replayed unless a rule refuses it. */
    private final class Selection {

        final TopicRange range;
        /** The latest dead letter of each event read so far, chosen or not. */
        final Map<String, Candidate> latest = new HashMap<>();
        /** How many dead letters of each event were read. */
        final Map<String, Integer> letters = new HashMap<>();
        final Map<String, Candidate> chosen = new HashMap<>();
        final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        long read;
        long selected;

        Selection(TopicRange range) {
            this.range = range;
        }

        /**
         * Keeps {@code letter} when it is the latest dead letter of its event so far; whether the filters select it
         * matters only once it is known to be the latest (see {@link #choose}).
         */
        void consider(ConsumerRecord<byte[], byte[]> record, StoredDeadLetter letter) {
            read++;
            boolean selects = criteria.selects(letter, Instant.ofEpochMilli(record.timestamp()));
            if (letter.requestId() == null) {
                if (selects) {
                    selected++;
                    skip(SkipReason.NOT_AN_EVENT);
                }
                return;
            }
            Candidate candidate = new Candidate(Position.of(record), letter.replayCount(), letter.category(),
                    ReplayCriteria.host(letter), letter.lastStatus() == null ? "none" : letter.lastStatus().toString(),
                    selects, selects ? criteria.refusal(letter) : null);
            letters.merge(letter.requestId(), 1, Integer::sum);
            Candidate earlier = latest.get(letter.requestId());
            if (earlier == null || later(candidate, earlier)) {
                latest.put(letter.requestId(), candidate);
            }
        }

        /**
         * Once every dead letter is read: the latest dead letter of each event is chosen when the filters select it
         * and the rules do not refuse it. An event whose latest dead letter the filters do not select is left out, its
         * earlier ones too: one of them would be replayed with a replay count that is not the event's.
         */
        void choose() {
            latest.forEach((requestId, candidate) -> {
                if (!candidate.selected()) {
                    return;
                }
                int count = letters.get(requestId);
                selected += count;
                skip(SkipReason.SUPERSEDED, count - 1); // only the latest dead letter of an event counts
                if (candidate.refusal() != null) {
                    skip(candidate.refusal());
                } else {
                    chosen.put(requestId, candidate);
                }
            });
            latest.clear();
            letters.clear();
        }

        private boolean later(Candidate a, Candidate b) {
            if (a.replayCount() != b.replayCount()) {
                return a.replayCount() > b.replayCount();
            }
            return Position.IN_TIME_ORDER.compare(a.position(), b.position()) > 0;
        }

        /**
         * A request on the requests topic replayed {@code replayCount} times: when that is more than the latest dead
         * letter of the event says, the replay is not processed yet (a failed one would have left a later dead
         * letter, a successful one a result).
         */
        void replayed(String requestId, int replayCount) {
            Candidate candidate = chosen.get(requestId);
            if (candidate != null && replayCount > candidate.replayCount()) {
                chosen.remove(requestId);
                skip(SkipReason.ALREADY_REPLAYED);
            }
        }

        /** When the earliest chosen dead letter was written. */
        Instant earliestChosen() {
            return Instant.ofEpochMilli(chosen.values().stream().mapToLong(candidate -> candidate.position().timestamp())
                    .min().orElseThrow());
        }

        void succeeded(String requestId) {
            if (chosen.remove(requestId) != null) {
                skip(SkipReason.ALREADY_SUCCEEDED);
            }
        }

        void skip(SkipReason reason) {
            skip(reason, 1);
        }

        void skip(SkipReason reason, long count) {
            if (count > 0) {
                skipped.merge(reason, count, Long::sum);
            }
        }

        void applyMax(Integer max) {
            if (max == null || chosen.size() <= max) {
                return;
            }
            List<Map.Entry<String, Candidate>> entries = new ArrayList<>(chosen.entrySet());
            entries.sort(Map.Entry.comparingByValue(Comparator.comparing(Candidate::position, Position.IN_TIME_ORDER)));
            for (Map.Entry<String, Candidate> over : entries.subList(max, entries.size())) {
                chosen.remove(over.getKey());
                skip(SkipReason.OVER_MAX);
            }
        }

        List<Position> inOrder() {
            return chosen.values().stream().map(Candidate::position).sorted(Position.IN_TIME_ORDER).toList();
        }

        ReplaySummary summary(long replayed, boolean interrupted, Instant resumeSince) {
            TreeMap<String, Long> byCategory = new TreeMap<>();
            TreeMap<String, Long> byHost = new TreeMap<>();
            TreeMap<String, Long> byStatus = new TreeMap<>();
            chosen.values().forEach(candidate -> {
                byCategory.merge(candidate.category(), 1L, Long::sum);
                byHost.merge(candidate.host(), 1L, Long::sum);
                byStatus.merge(candidate.status(), 1L, Long::sum);
            });
            List<String> first = chosen.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue(Comparator.comparing(Candidate::position, Position.IN_TIME_ORDER)))
                    .limit(FIRST_SHOWN).map(Map.Entry::getKey).toList();
            return new ReplaySummary(read, selected, skipped, chosen.size(), replayed, byCategory, byHost, byStatus,
                    first, interrupted, resumeSince);
        }
    }
}
