package dev.courier.cli;

import dev.courier.config.Settings;
import dev.courier.engine.Service;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code courier run}: the service. Consumes request events, makes their HTTP calls, publishes one
 * outcome per event, until SIGTERM (then drains, commits and exits). Serves metrics and health probes on the admin
 * port meanwhile, and logs a summary every {@code courier.log.summary-interval}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Run Courier: consume request events, make their HTTP calls through the bounded, rate-limited,"
                    + " retrying pool, and publish one result or dead letter per event.",
            "Runs until SIGTERM or Ctrl-C; then it stops taking work, lets events in flight finish within"
                    + " courier.shutdown.drain-timeout, commits and exits. Exits 1 if Kafka or the registry cannot"
                    + " be reached at start, or if it stops because of a failure.",
            "Serves /metrics, /health/live and /health/ready on courier.admin.port (default 8080), and"
                    + " GET /requests/{id} from the status view unless courier.status.enabled=false."})
final class RunCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    ConfigOptions config;

    RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = config.loadWithSecrets(io);
        Service service = Service.start(settings);
        try (service) {
            Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "courier-shutdown"));
            service.awaitStopped();
        }
        if (service.failure() != null) {
            throw new CommandFailedException("stopped: " + service.failure().getMessage(), service.failure());
        }
        return ExitCodes.OK;
    }
}
