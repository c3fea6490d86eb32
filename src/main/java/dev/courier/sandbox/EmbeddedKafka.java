package dev.courier.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller, node id 1) running
 * inside this JVM, for {@code courier dev}, {@code courier demo} and tests. It listens on
 * 127.0.0.1 only: a PLAINTEXT client listener on the configured port and a controller listener on
 * a free port. Both ports are chosen once, at {@link #start}, and kept across {@link #restart()}.
 *
 * <p>Data lives in a temporary directory deleted by {@link #close()}, or in a caller-given
 * directory that is kept and reused by the next start (its topics and offsets survive).
 *
 * <p>Thread-safety: all methods may be called from any thread; lifecycle methods are serialised.
 * The caller that started the broker owns it and must {@link #close()} it.
 *
 * <p>Failure: the broker is Kafka's own server code. Kafka halts the JVM on some fatal faults
 * (for example a log directory that disappears while the broker runs), as a standalone broker
 * would; this class does not intercept that, but refuses a data directory another broker holds
 * before Kafka opens it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /**
     * How to start the broker.
     *
     * @param port the client listener port on 127.0.0.1; {@code 0} (the default) picks a free one
     * @param dataDir where data is kept across runs; empty (the default) means a temporary
     *     directory deleted on close
     * @param startupTimeout how long {@link #start} and {@link #restart()} may take before they
     *     fail; default {@link #DEFAULT_STARTUP_TIMEOUT}
     */
    public record Options(int port, Optional<Path> dataDir, Duration startupTimeout) {

        /** The default bound on startup: 60 seconds. */
        public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

        public Options {
            LoopbackPorts.requireValid("port", port);
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive but was " + startupTimeout);
            }
        }

        /** A free port, a temporary data directory, a 60 s startup bound. */
        public static Options defaults() {
            return new Options(0, Optional.empty(), DEFAULT_STARTUP_TIMEOUT);
        }

        public Options withPort(int port) {
            return new Options(port, dataDir, startupTimeout);
        }

        public Options withDataDir(Path dataDir) {
            return new Options(port, Optional.of(dataDir), startupTimeout);
        }

        public Options withStartupTimeout(Duration startupTimeout) {
            return new Options(port, dataDir, startupTimeout);
        }
    }

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final Duration startupTimeout;
    private final Properties serverProperties;

    // Guarded by this.
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(int port, int controllerPort, Path dataDir, boolean temporaryDataDir,
            Duration startupTimeout, Properties serverProperties) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.temporaryDataDir = temporaryDataDir;
        this.startupTimeout = startupTimeout;
        this.serverProperties = serverProperties;
    }

    /**
     * Formats the data directory if needed, starts the broker and returns once it answers
     * clients.
     *
     * @throws SandboxStartupException if a port is taken ("port 9092 is already in use; ..."),
     *     the data directory cannot be used, or the broker is not ready within the startup timeout
     */
    public static EmbeddedKafka start(Options options) {
        Path dataDir = options.dataDir().map(Path::toAbsolutePath).orElseGet(EmbeddedKafka::newTemporaryDirectory);
        boolean temporary = options.dataDir().isEmpty();
        try {
            Path logDir = Files.createDirectories(dataDir.resolve("kafka"));
            int port = LoopbackPorts.resolve(options.port());
            int controllerPort = freePortOtherThan(port);
            Properties properties = BrokerSettings.of(port, controllerPort, logDir, options.startupTimeout());
            EmbeddedKafka kafka = new EmbeddedKafka(port, controllerPort, dataDir, temporary, options.startupTimeout(), properties);
            kafka.startServer();
            return kafka;
        } catch (IOException e) {
            deleteIfTemporary(dataDir, temporary);
            throw new SandboxStartupException("cannot use the Kafka data directory " + dataDir + ": " + e, e);
        } catch (RuntimeException e) {
            deleteIfTemporary(dataDir, temporary);
            throw e;
        }
    }

    /** The client bootstrap address, {@code 127.0.0.1:<port>}. Fixed for the life of this object. */
    public String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + port;
    }

    /** The client listener port. Fixed for the life of this object. */
    public int port() {
        return port;
    }

    /** The data directory (the given one, or the temporary one). */
    public Path dataDir() {
        return dataDir;
    }

    /** True between a successful start or restart and the next stop or close. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Shuts the broker down and waits for it to finish; data and ports are kept for
     * {@link #restart()}. Does nothing if the broker is not running.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        shutDown(stopping);
        LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }

    /**
     * Starts the broker again on the same ports and data, stopping it first if it runs, and
     * returns once it answers clients.
     *
     * @throws IllegalStateException if this broker was closed
     * @throws SandboxStartupException as {@link #start} does
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the embedded Kafka broker at " + bootstrapServers() + " is closed");
        }
        stop();
        startServer();
    }

    /**
     * Stops the broker and, if the data directory is temporary, deletes it (a failure to delete
     * is logged, not thrown). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        deleteIfTemporary(dataDir, temporaryDataDir);
    }

    private void startServer() {
        long startedAt = System.nanoTime();
        LoopbackPorts.requireFree(port);
        LoopbackPorts.requireFree(controllerPort);
        KafkaConfig config = new KafkaConfig(serverProperties, false);
        requireUnlocked(Path.of(config.metadataLogDir()));
        BrokerStorage.formatUnlessFormatted(config, Path.of(config.metadataLogDir()));
        KafkaRaftServer starting;
        try {
            starting = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new SandboxStartupException("cannot open the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
        try {
            starting.startup();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);
            BrokerReadiness.await(bootstrapServers(), startupTimeout.minus(elapsed));
        } catch (RuntimeException e) {
            shutDown(starting);
            if (LoopbackPorts.isBindFailure(e)) { // another process took a port since the check above
                throw LoopbackPorts.inUse(LoopbackPorts.isFree(port) ? controllerPort : port);
            }
            if (e instanceof SandboxStartupException) {
                throw e;
            }
            throw new SandboxStartupException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
        server = starting;
        LOG.info("Kafka broker ready at {} in {} ms (data in {})",
                bootstrapServers(), Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), dataDir);
    }

    /**
     * Refuses a log directory another broker holds (in this process or another), before Kafka's own server code
     * opens it: that code treats the lock as a fatal fault and may halt the JVM. Takes and releases the lock that
     * Kafka takes, on the same file.
     */
    private void requireUnlocked(Path logDir) {
        Path lockFile = logDir.resolve(".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another broker in this JVM
            }
            if (lock == null) {
                throw new SandboxStartupException("cannot use the Kafka data directory " + dataDir + ": Failed to"
                        + " acquire lock on file .lock in " + logDir + "; another broker is using it (stop it, or"
                        + " choose another data directory)");
            }
            lock.release();
        } catch (IOException e) {
            throw new SandboxStartupException("cannot use the Kafka data directory " + dataDir + ": " + e, e);
        }
    }

    private static void shutDown(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("The embedded Kafka broker did not shut down cleanly", e);
        }
    }

    private static int freePortOtherThan(int taken) {
        int candidate = LoopbackPorts.freePort();
        while (candidate == taken) {
            candidate = LoopbackPorts.freePort();
        }
        return candidate;
    }

    private static Path newTemporaryDirectory() {
        try {
            return Files.createTempDirectory("courier-kafka-");
        } catch (IOException e) {
            throw new SandboxStartupException("cannot create a temporary directory for the Kafka broker: " + e, e);
        }
    }

    private static void deleteIfTemporary(Path dataDir, boolean temporary) {
        if (!temporary) {
            return;
        }
        try {
            Utils.delete(dataDir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary Kafka data directory {}", dataDir, e);
        }
    }
}
