package dev.courier.status;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.CidrSet;
import dev.courier.config.Secret;
import dev.courier.model.RequestStatus;
import dev.courier.ops.AdminServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status view, running: a Kafka Streams application of {@link StatusTopology} whose store this instance can be
 * asked about, served on the admin server by {@link StatusEndpoint}. The one type of this package the rest of
 * Courier uses. Which instance holds an id, and in which partition, is Kafka Streams' to say
 * ({@code queryMetadataForKey}); each instance advertises its admin server as its {@code application.server}, and
 * answers only from the store of the id's own partition, so an instance that has just lost that partition says it
 * cannot answer (503) rather than that it knows nothing of the id (404).
 *
 * <p>A status is decoded when it is asked for, not when it is read; one that cannot be decoded (the registry cannot
 * be reached) is an error of that request only. A stream thread that fails is replaced and reads its records again.
 * Thread-safe; {@link #close} may be called from any thread and more than once.
 */
public final class StatusView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusView.class);
    /** The longest {@link #close} waits for the stream thread. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String statusTopic;
    private final EventCodec codec;
    private final Duration retention;
    private final Clock clock;
    private final Path temporaryStateDir;

    private StatusView(KafkaStreams streams, HostInfo self, String statusTopic, EventCodec codec, Duration retention,
            Clock clock, Path temporaryStateDir) {
        this.streams = streams;
        this.self = self;
        this.statusTopic = statusTopic;
        this.codec = codec;
        this.retention = retention;
        this.clock = clock;
        this.temporaryStateDir = temporaryStateDir;
    }

    /**
     * Starts the view of {@code statusTopic}, keeping entries for {@code retention}; returns at once, before it has
     * joined its group.
     *
     * @param codec             decodes the statuses asked for
     * @param config            the Kafka Streams configuration, {@code application.server} included
     * @param temporaryStateDir a directory to delete on {@link #close}, or null
     */
    public static StatusView start(String statusTopic, EventCodec codec, Duration retention,
            Map<String, Object> config, Path temporaryStateDir) {
        Properties properties = new Properties();
        properties.putAll(config);
        HostInfo self = HostInfo.buildFromEndpoint((String) config.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        KafkaStreams streams = new KafkaStreams(StatusTopology.build(statusTopic, retention), properties);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.warn("The status view's stream thread failed; replacing it: {}", error.getMessage(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new StatusView(streams, self, statusTopic, codec, retention, Clock.systemUTC(),
                temporaryStateDir);
    }

    /**
     * Serves {@code GET /requests/{id}} (and {@code /local/requests/{id}}, which the other instances forward to) on
     * {@code admin}, with the admin token; forwarded calls carry {@code token} (null for none) and go only to
     * {@code peers} ({@code courier.status.peers}), or when that is null to the network of {@code adminBind}.
     */
    public void serveOn(AdminServer admin, Secret token, CidrSet peers, String adminBind) {
        StatusEndpoint.serve(this, admin, new HttpForwarder(token,
                peers != null ? peers : HttpForwarder.defaultPeers(adminBind)));
    }

    /** Whether the application is running (it may still be restoring or rebalancing when not). */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Where {@code id} is held: here (with what this instance knows) or on another instance. */
    Lookup lookup(String id) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return new Lookup.Unavailable("the status view is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        KeyQueryMetadata owner = owner(id);
        if (owner == null || owner.activeHost() == null || owner.activeHost().equals(HostInfo.unavailable())) {
            return new Lookup.Unavailable("no instance holds the status view's partition of this id yet");
        }
        if (!owner.activeHost().equals(self)) {
            return new Lookup.Elsewhere(owner.activeHost().host(), owner.activeHost().port());
        }
        return local(id, owner.partition());
    }

    /**
     * What this instance's store of the id's partition holds for {@code id}; unavailable when this instance does not
     * hold that partition (a forwarded question that arrives just after the partition moved on).
     */
    Lookup local(String id) {
        KeyQueryMetadata owner = owner(id);
        if (owner == null) {
            return new Lookup.Unavailable("the status view does not know the partitions of its topic yet");
        }
        return local(id, owner.partition());
    }

    private KeyQueryMetadata owner(String id) {
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(StatusTopology.STORE, id, Serdes.String().serializer());
        } catch (IllegalStateException e) { // not started, or closed
            return null;
        }
        return owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) ? null : owner;
    }

    private Lookup local(String id, int partition) {
        ValueAndTimestamp<byte[]> entry;
        try {
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<byte[]>> store = streams.store(StoreQueryParameters
                    .fromNameAndType(StatusTopology.STORE,
                            QueryableStoreTypes.<String, byte[]>timestampedKeyValueStore())
                    .withPartition(partition));
            entry = store.get(id);
        } catch (InvalidStateStoreException e) {
            return new Lookup.Unavailable("this instance does not hold the status view's partition " + partition
                    + " of this id now (" + e.getMessage() + ")");
        }
        if (entry == null || entry.timestamp() < clock.millis() - retention.toMillis()) {
            return new Lookup.Absent();
        }
        try {
            RequestStatus status = codec.decodeStatus(statusTopic, entry.value());
            return status.id().equals(id) ? new Lookup.Found(status) : new Lookup.Absent();
        } catch (DecodeException e) {
            LOG.debug("The status of {} cannot be read: {}", id, e.getMessage());
            return new Lookup.Absent();
        } catch (SchemaRegistryException e) {
            return new Lookup.Unavailable("the schema registry cannot be asked for the status's schema: "
                    + e.getMessage());
        }
    }

    /** Stops the application within {@link #CLOSE_TIMEOUT} and deletes the temporary state directory. */
    @Override
    public void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("The status view did not stop within {}", CLOSE_TIMEOUT);
        }
        if (temporaryStateDir != null) {
            try (Stream<Path> paths = Files.walk(temporaryStateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.debug("Cannot delete {}: {}", temporaryStateDir, e.getMessage());
            }
        }
    }
}
