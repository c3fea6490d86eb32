package dev.courier.cli;

import dev.courier.sandbox.DemoTarget;
import dev.courier.sandbox.LocalSandbox;
import dev.courier.sandbox.SandboxStartupException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code courier dev}: the local sandbox, a real Kafka broker, a schema registry stand-in and the demo
 * target API in this JVM, on 127.0.0.1, until interrupted. For development and tests only.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {
            "Run a local sandbox until interrupted: a real single-node Kafka broker (KRaft), a stand-in for"
                    + " the Confluent schema registry and a demo target API, in this JVM, on 127.0.0.1. For development"
                    + " and tests only: the stand-in keeps schemas in memory.",
            "The demo target answers any method on " + DemoTarget.PATHS + ".",
            "On the default ports, Courier's default settings point at it; examples/courier.properties names the"
                    + " demo target \"demo\" for the events in examples/requests.jsonl."})
final class DevCommand implements Callable<Integer> {

    /** The setting that examples/courier.properties gives the demo target's URL in. */
    static final String DEMO_TARGET = "courier.targets.demo.base-url";

    private final Io io;
    private final CountDownLatch interrupted = new CountDownLatch(1);

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the Kafka broker; 0 for a free one. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port of the schema registry stand-in; 0 for a free one. Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--target-port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port of the demo target API (examples/courier.properties points at 8090); 0 for a free"
                    + " one. Default: ${DEFAULT-VALUE}.")
    int targetPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data in DIR across runs. Default: a temporary directory, deleted on exit.")
    Path dataDir;

    DevCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalSandbox.Options options = LocalSandbox.Options.defaults().withKafkaPort(kafkaPort)
                .withRegistryPort(registryPort).withDemoTarget(targetPort);
        LocalSandbox sandbox;
        try {
            sandbox = LocalSandbox.start(dataDir == null ? options : options.withDataDir(dataDir));
        } catch (SandboxStartupException | IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        Thread shutdown = new Thread(() -> {
            interrupted.countDown();
            sandbox.close();
        }, "courier-dev-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        io.out().println("Kafka bootstrap servers: " + sandbox.bootstrapServers());
        io.out().println("Schema registry:         " + sandbox.registryUrl());
        sandbox.demoTarget().ifPresent(target -> io.out().println("Demo target API:         " + target.url()));
        if (kafkaPort != 9092 || registryPort != 8081 || targetPort != 8090) {
            io.out().println("Point other commands at it with: -Dkafka.bootstrap.servers=" + sandbox.bootstrapServers()
                    + " -Dcourier.schema-registry.url=" + sandbox.registryUrl()
                    + sandbox.demoTarget().map(target -> " -D" + DEMO_TARGET + "=" + target.url()).orElse(""));
        }
        sandbox.demoTarget().ifPresent(target -> {
            io.out().println("The examples call it as the named target demo: give produce and run"
                    + " --config examples/courier.properties");
            io.out().println("Events that call it by url need the egress policy opened (it refuses loopback addresses):"
                    + " -Dcourier.egress.allow-cidrs=127.0.0.1/32 -Dcourier.egress.allowed-ports="
                    + target.url().getPort());
        });
        io.out().println("Running until interrupted (Ctrl-C). Next: courier topics create");
        interrupted.await();
        return ExitCodes.OK;
    }
}
