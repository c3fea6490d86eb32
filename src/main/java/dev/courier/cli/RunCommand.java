package dev.courier.cli;

import dev.courier.config.OpsSettings;
import dev.courier.config.Settings;
import dev.courier.http.HostResolver;
import dev.courier.model.Redactor;
import dev.courier.ops.AdminServer;
import dev.courier.ops.DeadLetterLog;
import dev.courier.ops.EngineMetrics;
import dev.courier.ops.Health;
import dev.courier.ops.Logging;
import dev.courier.ops.Metrics;
import dev.courier.ops.StateSampler;
import dev.courier.ops.SummaryLog;
import dev.courier.status.StatusView;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    private final Io io;

    @Mixin
    ConfigOptions config;

    RunCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = config.loadWithSecrets(io);
        RunChecks.verifyAdmin(settings);
        Logging.use(settings.ops().logFormat());
        Health health = new Health();
        try (Metrics metrics = new Metrics(); AdminServer admin = admin(settings.ops(), metrics, health);
                RegistryProbe registry = RegistryProbe.start(settings.registry(),
                        settings.topics().results() + "-value");
                KafkaProbe kafka = KafkaProbe.start(new KafkaClients(settings), settings.dispatch().commitTimeout())) {
            EngineMetrics engineMetrics = new EngineMetrics(metrics.registry(), settings.ops().metricsMaxHosts(),
                    settings.rate());
            EngineObserver observer = new EngineObserver(engineMetrics, new DeadLetterLog(),
                    new Redactor(settings.redactQueryParams()), Clock.systemUTC(), System::nanoTime);
            Engine engine = Engine.start(settings, observer, HostResolver.SYSTEM, metrics.registry());
            engineMetrics.watch(() -> engine.dispatcher().waiting());
            EngineHealth.register(health, settings, engine, observer, kafka, registry, System::nanoTime);
            health.ready("circuits", EngineHealth.circuits(engineMetrics::lastDispatchState));
            StatusView status;
            try {
                status = StatusViews.start(settings, admin);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            health.started();
            Thread shutdown = new Thread(() -> closeBoth(engine, status), "courier-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);
            try (StatusView view = status;
                    StateSampler state = engineMetrics.watchState(() -> engine.dispatcher().state());
                    SummaryLog summary = SummaryLog.start(settings.ops().summaryInterval(), engineMetrics::totals)) {
                while (!engine.awaitStopped(Duration.ofSeconds(1))) {
                    // running until SIGTERM or a failure
                }
            }
            engine.close();
            if (engine.failure() != null) {
                throw new CommandFailedException("stopped: " + engine.failure().getMessage(), engine.failure());
            }
            return ExitCodes.OK;
        }
    }

    /**
     * Closes the engine and, meanwhile, the status view (when there is one), so the view's close adds nothing to
     * the engine's shutdown bound.
     */
    private static void closeBoth(Engine engine, StatusView status) {
        Thread view = status == null ? null : new Thread(status::close, "courier-status-close");
        if (view != null) {
            view.start();
        }
        engine.close();
        if (view != null) {
            try {
                view.join(StatusView.CLOSE_TIMEOUT.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the admin server with /metrics and the health probes. */
    private static AdminServer admin(OpsSettings ops, Metrics metrics, Health health) {
        AdminServer admin;
        try {
            admin = AdminServer.start(ops.adminBind(), ops.adminPort(), ops.adminToken());
        } catch (java.net.BindException e) {
            throw new CommandFailedException("cannot start the admin server: " + ops.adminBind() + ":"
                    + ops.adminPort() + " is in use (another courier run on this host?); set courier.admin.port to a"
                    + " free port, each instance its own (0 takes any free port)", e);
        } catch (IOException | RuntimeException e) {
            throw new CommandFailedException("cannot start the admin server on " + ops.adminBind() + ":"
                    + ops.adminPort() + " (courier.admin.bind, courier.admin.port): " + e.getMessage(), e);
        }
        metrics.serveOn(admin);
        health.serveOn(admin);
        LOG.info("Admin server on {}:{}: /metrics{}, /health/live, /health/ready", ops.adminBind(), admin.port(),
                ops.adminToken() == null ? "" : " (with the admin token)");
        return admin;
    }
}
