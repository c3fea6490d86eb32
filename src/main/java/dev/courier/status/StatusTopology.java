package dev.courier.status;

import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The status view's Kafka Streams topology: a table of the status topic, kept as it is written.
 *
 * <pre>
 * status topic (compacted, keyed by request id) ─▶ updater ─▶ store "requests-by-id" (in memory)
 * </pre>
 *
 * The engine writes one status record per event to the status topic, keyed by the request id, so the view needs no
 * repartition and decodes nothing: the store holds each id's latest record as it was written, with its timestamp,
 * and {@link StatusView} decodes one only when it is asked for. The store is a read-only store of the topology
 * ({@code addReadOnlyStateStore}): the status topic is its changelog, so it is rebuilt from that topic when an
 * instance starts or takes a partition over, and Kafka Streams creates no topic of its own for it.
 */
final class StatusTopology {

    /** The store of statuses by request id: the status record's bytes, with the record's timestamp. */
    static final String STORE = "requests-by-id";

    private StatusTopology() {
    }

    /**
     * @param statusTopic the status topic
     * @param retention   how long an entry is kept after its last change
     */
    static Topology build(String statusTopic, Duration retention) {
        return new Topology().addReadOnlyStateStore(
                Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                "status", new StringDeserializer(), new ByteArrayDeserializer(), statusTopic, "updater",
                () -> new StatusUpdater(retention));
    }
}
