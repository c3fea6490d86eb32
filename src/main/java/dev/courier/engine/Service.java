package dev.courier.engine;

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
import dev.courier.ops.SummaryLog;
import dev.courier.status.StatusView;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier as a service ({@code courier run}): the {@link Engine} with what an operator sees of it. The admin server
 * serves {@code /metrics}, {@code /health/live} and {@code /health/ready} (the engine's checks, {@link EngineHealth},
 * with the Kafka and registry probes) and, unless {@code courier.status.enabled=false}, the status view's
 * {@code GET /requests/{id}}; a summary line is logged every {@code courier.log.summary-interval}.
 *
 * <p>Lifecycle: {@link #start} checks the settings, switches the log format, starts everything and returns once the
 * engine runs; {@link #awaitStopped} waits for the engine to stop (a failure, or {@link #shutdown} from another
 * thread); {@link #close} releases everything. {@link #shutdown} and {@link #close} are thread-safe and idempotent.
 */
public final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);

    private final Engine engine;
    private final StatusView status;
    private final int adminPort;
    /** What {@link #close} closes after the engine, the last opened first: probes, admin server, metrics. */
    private final Deque<AutoCloseable> around;
    /** What {@link #close} closes before the engine, the last opened first: summary log, state sampler, view. */
    private final Deque<AutoCloseable> beside;

    private Service(Engine engine, StatusView status, int adminPort, Deque<AutoCloseable> around,
            Deque<AutoCloseable> beside) {
        this.engine = engine;
        this.status = status;
        this.adminPort = adminPort;
        this.around = around;
        this.beside = beside;
    }

    /**
     * Checks the admin server's settings, writes log lines in {@code courier.log.format} from now on, and starts the
     * admin server, the probes, the engine and the status view.
     *
     * @throws dev.courier.config.SettingsException naming a combination of settings that cannot work
     * @throws EngineException when the admin port is taken, or Kafka or the registry cannot be reached, or a topic is
     *                         missing
     */
    public static Service start(Settings settings) {
        RunChecks.verifyAdmin(settings);
        Logging.use(settings.ops().logFormat());
        Health health = new Health();
        Deque<AutoCloseable> around = new ArrayDeque<>();
        try {
            Metrics metrics = opened(around, new Metrics());
            AdminServer admin = opened(around, admin(settings.ops(), metrics, health));
            RegistryProbe registry = opened(around, RegistryProbe.start(settings.registry(),
                    settings.topics().results() + "-value"));
            KafkaProbe kafka = opened(around, KafkaProbe.start(new KafkaClients(settings),
                    settings.dispatch().commitTimeout()));
            EngineMetrics engineMetrics = new EngineMetrics(metrics.registry(), settings.ops().metricsMaxHosts(),
                    settings.rate());
            EngineObserver observer = new EngineObserver(engineMetrics, new DeadLetterLog(),
                    new Redactor(settings.redactQueryParams()), Clock.systemUTC(), System::nanoTime);
            Engine engine = Engine.start(settings, observer, HostResolver.SYSTEM, metrics.registry());
            Deque<AutoCloseable> beside = new ArrayDeque<>();
            try {
                engineMetrics.watch(() -> engine.dispatcher().waiting());
                EngineHealth.register(health, settings, engine, observer, kafka, registry, System::nanoTime);
                health.ready("circuits", EngineHealth.circuits(engineMetrics::lastDispatchState));
                StatusView status = StatusViews.start(settings, admin);
                if (status != null) {
                    beside.push(status);
                }
                health.started();
                beside.push(engineMetrics.watchState(() -> engine.dispatcher().state()));
                beside.push(SummaryLog.start(settings.ops().summaryInterval(), engineMetrics::totals));
                return new Service(engine, status, admin.port(), around, beside);
            } catch (RuntimeException e) {
                closeAll(beside, e);
                engine.close();
                throw e;
            }
        } catch (RuntimeException e) {
            closeAll(around, e);
            throw e;
        }
    }

    /** Waits until the engine has stopped, by itself or after {@link #shutdown}. */
    public void awaitStopped() throws InterruptedException {
        while (!engine.awaitStopped(Duration.ofSeconds(1))) {
            // running until SIGTERM or a failure
        }
    }

    /**
     * Closes the engine and, meanwhile, the status view (when there is one), so the view's close adds nothing to
     * the engine's shutdown bound; for a shutdown hook. Returns once both are closed.
     */
    public void shutdown() {
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

    /** The port the admin server listens on: {@code courier.admin.port}, or the free one it took for 0. */
    public int adminPort() {
        return adminPort;
    }

    /** Why the engine stopped by itself, or null. */
    public Throwable failure() {
        return engine.failure();
    }

    /** Closes the summary log, the state sampler, the status view, the engine, the probes, the admin server and the metrics. */
    @Override
    public void close() {
        RuntimeException failed = closeAll(beside, null);
        engine.close();
        failed = closeAll(around, failed);
        if (failed != null) {
            throw failed;
        }
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes each of {@code resources}, the last opened first; returns {@code failed} with what failed added. */
    private static RuntimeException closeAll(Deque<AutoCloseable> resources, RuntimeException failed) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        return failed;
    }

    /** Starts the admin server with /metrics and the health probes. */
    private static AdminServer admin(OpsSettings ops, Metrics metrics, Health health) {
        AdminServer admin;
        try {
            admin = AdminServer.start(ops.adminBind(), ops.adminPort(), ops.adminToken());
        } catch (java.net.BindException e) {
            throw new EngineException("cannot start the admin server: " + ops.adminBind() + ":"
                    + ops.adminPort() + " is in use (another courier run on this host?); set courier.admin.port to a"
                    + " free port, each instance its own (0 takes any free port)", e);
        } catch (IOException | RuntimeException e) {
            throw new EngineException("cannot start the admin server on " + ops.adminBind() + ":"
                    + ops.adminPort() + " (courier.admin.bind, courier.admin.port): " + e.getMessage(), e);
        }
        metrics.serveOn(admin);
        health.serveOn(admin);
        LOG.info("Admin server on {}:{}: /metrics{}, /health/live, /health/ready", ops.adminBind(), admin.port(),
                ops.adminToken() == null ? "" : " (with the admin token)");
        return admin;
    }
}
