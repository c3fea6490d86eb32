package dev.courier.sandbox;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Courier needs on one machine, started together: an {@link EmbeddedKafka} broker and
 * a {@link RegistryStandIn}, both on 127.0.0.1. {@code courier dev} and the test kit use it.
 *
 * <p>Components start in order and close in reverse order; if one fails to start, those already
 * started are closed before the error is thrown.
 *
 * <p>Thread-safety: the accessors may be called from any thread. The caller that started the
 * sandbox owns it and must {@link #close()} it.
 */
public final class LocalSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSandbox.class);

    /**
     * How to start the sandbox.
     *
     * @param kafkaPort the broker's client port; {@code 0} (the default) picks a free one
     * @param registryPort the registry stand-in's port; {@code 0} (the default) picks a free one
     * @param dataDir where the broker keeps data across runs; empty (the default) means a
     *     temporary directory deleted on close
     * @param demoTargetPort the {@link DemoTarget}'s port ({@code 0} for a free one); empty (the
     *     default) means no demo target
     */
    public record Options(int kafkaPort, int registryPort, Optional<Path> dataDir, OptionalInt demoTargetPort) {

        public Options {
            LoopbackPorts.requireValid("kafkaPort", kafkaPort);
            LoopbackPorts.requireValid("registryPort", registryPort);
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(demoTargetPort, "demoTargetPort");
            demoTargetPort.ifPresent(port -> LoopbackPorts.requireValid("demoTargetPort", port));
        }

        /** Free ports, a temporary data directory, no demo target. */
        public static Options defaults() {
            return new Options(0, 0, Optional.empty(), OptionalInt.empty());
        }

        public Options withKafkaPort(int kafkaPort) {
            return new Options(kafkaPort, registryPort, dataDir, demoTargetPort);
        }

        public Options withRegistryPort(int registryPort) {
            return new Options(kafkaPort, registryPort, dataDir, demoTargetPort);
        }

        public Options withDataDir(Path dataDir) {
            return new Options(kafkaPort, registryPort, Optional.of(dataDir), demoTargetPort);
        }

        public Options withDemoTarget(int port) {
            return new Options(kafkaPort, registryPort, dataDir, OptionalInt.of(port));
        }

        private static EmbeddedKafka.Options kafkaOptions(int port, Optional<Path> dataDir) {
            EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(port);
            return dataDir.map(options::withDataDir).orElse(options);
        }
    }

    private final EmbeddedKafka kafka;
    private final RegistryStandIn registry;
    private final DemoTarget demoTarget;
    private final Deque<AutoCloseable> closeOrder;

    private LocalSandbox(EmbeddedKafka kafka, RegistryStandIn registry, DemoTarget demoTarget,
            Deque<AutoCloseable> closeOrder) {
        this.kafka = kafka;
        this.registry = registry;
        this.demoTarget = demoTarget;
        this.closeOrder = closeOrder;
    }

    /**
     * Starts the registry stand-in and the demo target (fast, so a taken port fails early) and then
     * the broker.
     *
     * @throws SandboxStartupException if a component cannot start, or this build has no broker; its message
     *     names the cause
     */
    public static LocalSandbox start(Options options) {
        BrokerPresence.require();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            RegistryStandIn registry = RegistryStandIn.start(RegistryStandIn.Options.defaults().withPort(options.registryPort()));
            started.push(registry);
            DemoTarget demoTarget = null;
            if (options.demoTargetPort().isPresent()) {
                demoTarget = DemoTarget.start(options.demoTargetPort().getAsInt());
                started.push(demoTarget);
            }
            EmbeddedKafka kafka = EmbeddedKafka.start(Options.kafkaOptions(options.kafkaPort(), options.dataDir()));
            started.push(kafka);
            return new LocalSandbox(kafka, registry, demoTarget, started);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** The broker's bootstrap address, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry stand-in's base URL, e.g. {@code http://127.0.0.1:8081}. */
    public URI registryUrl() {
        return registry.url();
    }

    /** The demo target API, when the options asked for one. */
    public Optional<DemoTarget> demoTarget() {
        return Optional.ofNullable(demoTarget);
    }

    /** The broker, for callers that stop and restart it (tests of reconnection). */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** Closes every component in reverse start order. Idempotent. */
    @Override
    public void close() {
        RuntimeException failure = new RuntimeException("the local sandbox did not close cleanly");
        synchronized (closeOrder) {
            closeAll(closeOrder, failure);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Closes and removes each of {@code components}, most recent first; failures are added to {@code failure}. */
    private static void closeAll(Deque<AutoCloseable> components, Throwable failure) {
        while (!components.isEmpty()) {
            AutoCloseable component = components.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", component, e);
                failure.addSuppressed(e);
            }
        }
    }
}
