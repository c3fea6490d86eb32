package dev.courier.engine;

import dev.courier.config.Durations;
import dev.courier.config.Settings;
import dev.courier.config.StatusSettings;
import dev.courier.ops.AdminServer;
import dev.courier.status.StatusView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the status view of {@code courier run} ({@link Service}) and serves it on the admin server; {@link #startLocal}
 * gives {@code courier demo} one on an admin server of its own.
 */
public final class StatusViews {

    private static final Logger LOG = LoggerFactory.getLogger(StatusViews.class);

    private StatusViews() {
    }

    /** The view's Kafka Streams application id: {@code courier.group-id} followed by {@code -status}. */
    static String applicationId(Settings settings) {
        return settings.groupId() + "-status";
    }

    /**
     * Starts the view and serves {@code GET /requests/{id}} on {@code admin}; returns at once.
     *
     * @return the view, or null when {@code courier.status.enabled} is false
     * @throws EngineException when the state directory cannot be made
     */
    static StatusView start(Settings settings, AdminServer admin) {
        StatusSettings status = settings.status();
        if (!status.enabled()) {
            return null;
        }
        Path temporary = null;
        Path stateDir = status.stateDir();
        try {
            if (stateDir == null) {
                temporary = Files.createTempDirectory("courier-status-");
                stateDir = temporary;
            } else {
                Files.createDirectories(stateDir);
            }
        } catch (IOException e) {
            throw new EngineException("cannot make the status view's state directory (courier.status.state-dir): "
                    + e.getMessage(), e);
        }
        String server = advertisedHost(settings) + ":" + admin.port();
        StatusView view = StatusView.start(settings.topics().status(), Registry.codec(settings), status.retention(),
                new KafkaClients(settings).streams(applicationId(settings), stateDir.toString(), server), temporary);
        view.serveOn(admin, settings.ops().adminToken(), status.peers(), settings.ops().adminBind());
        LOG.info("Status view {} started (GET /requests/{id} on the admin port, advertised as {}), keeping requests"
                + " for {}", applicationId(settings), server, Durations.format(status.retention()));
        return view;
    }

    /**
     * The status view on an admin server of its own, without a token, on a free port of {@code courier.admin.bind}:
     * {@code courier demo}'s. The admin server runs even when {@code courier.status.enabled} is false (it then serves
     * nothing).
     *
     * @throws IOException     when the admin server cannot listen
     * @throws EngineException when the state directory cannot be made
     */
    public static Local startLocal(Settings settings) throws IOException {
        AdminServer admin = AdminServer.start(settings.ops().adminBind(), 0, null);
        try {
            return new Local(admin, start(settings, admin), settings.ops().adminBind());
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** A status view on an admin server of its own ({@link #startLocal}); {@link #close} stops both. */
    public static final class Local implements AutoCloseable {

        private final AdminServer admin;
        private final StatusView view;
        private final String bind;

        private Local(AdminServer admin, StatusView view, String bind) {
            this.admin = admin;
            this.view = view;
            this.bind = bind;
        }

        /** The admin server's URL, where {@code GET /requests/{id}} answers; empty when statuses are off. */
        public Optional<URI> url() {
            return view == null ? Optional.empty() : Optional.of(URI.create("http://" + bind + ":" + admin.port()));
        }

        /** Closes the view, then the admin server. */
        @Override
        public void close() {
            try {
                if (view != null) {
                    view.close();
                }
            } finally {
                admin.close();
            }
        }
    }

    /** {@code courier.status.advertised-host}, else the admin bind address, else this machine's address. */
    static String advertisedHost(Settings settings) {
        if (settings.status().advertisedHost() != null) {
            return settings.status().advertisedHost();
        }
        String bind = settings.ops().adminBind();
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("0:0:0:0:0:0:0:0")) {
            return bind;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new EngineException("cannot tell this machine's address for the status view; set"
                    + " courier.status.advertised-host", e);
        }
    }
}
