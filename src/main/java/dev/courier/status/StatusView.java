package dev.courier.status;

import dev.courier.codec.EventCodec;
import dev.courier.config.CidrSet;
import dev.courier.config.Secret;
import dev.courier.config.TopicSettings;
import dev.courier.ops.AdminServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status view, running: a Kafka Streams application of {@link StatusTopology} whose store this instance can be
 * asked about, served on the admin server by {@link StatusEndpoint}. The one type of this package the rest of
 * Courier uses. Which instance holds an id is Kafka Streams' to say ({@code queryMetadataForKey}); each instance
 * advertises its admin server as its {@code application.server}.
 *
 * <p>A stream thread that fails (the registry cannot be reached, say) is replaced and reads its records again.
 * Thread-safe; {@link #close} may be called from any thread and more than once.
 */
public final class StatusView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusView.class);
    /** The longest {@link #close} waits for the stream thread. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Path temporaryStateDir;

    private StatusView(KafkaStreams streams, HostInfo self, Path temporaryStateDir) {
        this.streams = streams;
        this.self = self;
        this.temporaryStateDir = temporaryStateDir;
    }

    /**
     * Starts the view of {@code topics}, keeping entries for {@code retention}; returns at once, before it has joined
     * its group.
     *
     * @param codec             decodes the three topics' values
     * @param config            the Kafka Streams configuration, {@code application.server} included
     * @param temporaryStateDir a directory to delete on {@link #close}, or null
     */
    public static StatusView start(TopicSettings topics, EventCodec codec, Duration retention,
            Map<String, Object> config, Path temporaryStateDir) {
        Properties properties = new Properties();
        properties.putAll(config);
        HostInfo self = HostInfo.buildFromEndpoint((String) config.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        KafkaStreams streams = new KafkaStreams(StatusTopology.build(topics, codec, retention), properties);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.warn("The status view's stream thread failed; replacing it: {}", error.getMessage(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new StatusView(streams, self, temporaryStateDir);
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
        KeyQueryMetadata owner = streams.queryMetadataForKey(StatusTopology.STORE, id, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null
                || owner.activeHost().equals(HostInfo.unavailable())) {
            return new Lookup.Unavailable("no instance holds the status view's partition of this id yet");
        }
        if (!owner.activeHost().equals(self)) {
            return new Lookup.Elsewhere(owner.activeHost().host(), owner.activeHost().port());
        }
        return local(id);
    }

    /** What this instance's store holds for {@code id}, whichever instance Kafka Streams says owns it. */
    Lookup local(String id) {
        try {
            ReadOnlyKeyValueStore<String, RequestStatus> store = streams.store(StoreQueryParameters
                    .fromNameAndType(StatusTopology.STORE, QueryableStoreTypes.<String, RequestStatus>keyValueStore()));
            RequestStatus status = store.get(id);
            return status == null ? new Lookup.Absent() : new Lookup.Found(status);
        } catch (InvalidStateStoreException e) {
            return new Lookup.Unavailable("the status view's store is not ready here: " + e.getMessage());
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
