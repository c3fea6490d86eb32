package dev.courier.cli;

import dev.courier.config.Settings;
import dev.courier.intake.EngineListener;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code courier run}: the service. Consumes request events, makes their HTTP calls, publishes one
 * outcome per event, until SIGTERM (then drains, commits and exits).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Run Courier: consume request events, make their HTTP calls through the bounded, rate-limited,"
                    + " retrying pool, and publish one result or dead letter per event.",
            "Runs until SIGTERM or Ctrl-C; then it stops taking work, lets events in flight finish within"
                    + " courier.shutdown.drain-timeout, commits and exits. Exits 1 if Kafka or the registry cannot"
                    + " be reached at start, or if it stops because of a failure."})
final class RunCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    ConfigOptions config;

    RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = config.load(io);
        Engine engine = Engine.start(settings, EngineListener.NONE);
        Thread shutdown = new Thread(engine::close, "courier-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        while (!engine.awaitStopped(Duration.ofSeconds(1))) {
            // running until SIGTERM or a failure
        }
        engine.close();
        if (engine.failure() != null) {
            throw new CommandFailedException("stopped: " + engine.failure().getMessage(), engine.failure());
        }
        return ExitCodes.OK;
    }
}
