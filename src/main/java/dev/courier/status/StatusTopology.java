package dev.courier.status;

import dev.courier.codec.EventCodec;
import dev.courier.config.TopicSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The status view's Kafka Streams topology:
 *
 * <pre>
 * requests ─────▶ facts (pending)   ─┐
 * results ──────▶ facts (succeeded) ─┼─▶ re-keyed by request id ─▶ repartition topic "by-id" ─▶ updater ─▶ store
 * dead letters ─▶ facts (failed)    ─┘                                                             (+ retention sweep)
 * </pre>
 *
 * The three topics are keyed by the events' Kafka keys, not their ids, so the facts go through one repartition
 * topic ({@code APPLICATION_ID-by-id-repartition}); Kafka Streams gives it as many partitions as the largest of the
 * three topics and deletes what it has consumed at each commit, so it stays small whatever its retention. The store
 * ({@link #STORE}) is in memory, logged to a compacted changelog topic from which it is rebuilt at start.
 */
final class StatusTopology {

    /** The store of statuses by request id. */
    static final String STORE = "requests-by-id";
    /** The name of the repartition step, hence of its topic. */
    static final String REPARTITION = "by-id";

    private StatusTopology() {
    }

    /**
     * @param retention how long an entry is kept after its last change
     */
    static Topology build(TopicSettings topics, EventCodec codec, Duration retention) {
        Serde<RequestStatus> statuses = StatusSerde.create();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                statuses).withLoggingEnabled(Map.of()));
        KStream<String, RequestStatus> facts = facts(builder, topics.requests(), StatusFacts.Kind.REQUEST, codec,
                retention)
                .merge(facts(builder, topics.results(), StatusFacts.Kind.RESULT, codec, retention),
                        Named.as("outcomes"))
                .merge(facts(builder, topics.deadLetters(), StatusFacts.Kind.DEAD_LETTER, codec, retention),
                        Named.as("facts"));
        facts.repartition(Repartitioned.with(Serdes.String(), statuses).withName(REPARTITION))
                .process(() -> new StatusUpdater(retention), Named.as("updater"), STORE);
        return builder.build();
    }

    private static KStream<String, RequestStatus> facts(StreamsBuilder builder, String topic, StatusFacts.Kind kind,
            EventCodec codec, Duration retention) {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name))
                .process(() -> new StatusFacts(kind, codec, retention), Named.as(name + "-facts"));
    }
}
