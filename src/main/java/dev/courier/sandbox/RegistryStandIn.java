package dev.courier.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory stand-in for the Confluent Schema Registry, <b>for development and tests only</b>
 * ({@code courier dev}, {@code courier demo}, Courier's own tests, and upstream publishers tested
 * against {@code courier dev}). It speaks the REST subset that Courier's registry client and common
 * Confluent clients use, with Confluent's JSON bodies, status codes and error codes: registering
 * and looking up Avro schemas under subjects (global ids, idempotent re-registration, compatibility
 * checked at the global or subject level, BACKWARD by default), fetching a schema and its subject
 * versions by id, listing subjects and versions, soft and permanent deletes, and the compatibility
 * settings and check. See {@link RegistryApi} for the endpoints.
 *
 * <p>It listens on 127.0.0.1 only, keeps everything in memory (lost on close), and optionally
 * requires HTTP basic auth. It is not a registry to run anything real against: no persistence,
 * Avro only, no schema references, no modes, contexts or exporters.
 *
 * <p>Thread-safety: all methods may be called from any thread; requests are served concurrently
 * by {@value #WORKER_THREADS} worker threads owned by this object and stopped by {@link #close()}.
 */
public final class RegistryStandIn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryStandIn.class);
    private static final int WORKER_THREADS = 2;
    private static final int QUEUED_REQUESTS = 64;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** HTTP basic auth credentials. {@link #toString()} does not show the password. */
    public record BasicAuth(String username, String password) {

        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isEmpty() || username.contains(":")) {
                throw new IllegalArgumentException("username must be non-empty and contain no ':' but was '" + username + "'");
            }
        }

        /** True if {@code authorization} (an Authorization header value, or null) carries these credentials. */
        boolean admits(String authorization) {
            if (authorization == null) {
                return false;
            }
            String expected = "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), authorization.trim().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=***]";
        }
    }

    /**
     * How to start the stand-in.
     *
     * @param port the port on 127.0.0.1; {@code 0} (the default) picks a free one
     * @param basicAuth credentials every request must carry; empty (the default) means none
     */
    public record Options(int port, Optional<BasicAuth> basicAuth) {

        public Options {
            LoopbackPorts.requireValid("port", port);
            Objects.requireNonNull(basicAuth, "basicAuth");
        }

        /** A free port, no authentication. */
        public static Options defaults() {
            return new Options(0, Optional.empty());
        }

        public Options withPort(int port) {
            return new Options(port, basicAuth);
        }

        public Options withBasicAuth(String username, String password) {
            return new Options(port, Optional.of(new BasicAuth(username, password)));
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final URI url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryStandIn(HttpServer server, ThreadPoolExecutor workers) {
        this.server = server;
        this.workers = workers;
        this.url = URI.create("http://" + LoopbackPorts.HOST + ":" + server.getAddress().getPort());
    }

    /**
     * Starts serving on 127.0.0.1 and returns once the port is bound.
     *
     * @throws SandboxStartupException if the port is taken ("port 8081 is already in use; ...")
     */
    public static RegistryStandIn start(Options options) {
        HttpServer server = LoopbackHttpServer.bind(options.port(), "the registry stand-in");
        ObjectMapper json = new ObjectMapper();
        RegistryApi api = new RegistryApi(new SchemaStore(), new CompatibilityConfig(), json);
        server.createContext("/", new RegistryHttpHandler(api, options.basicAuth(), json));
        ThreadPoolExecutor workers = LoopbackHttpServer.workers("courier-registry-", WORKER_THREADS, QUEUED_REQUESTS);
        server.setExecutor(workers);
        server.start();
        RegistryStandIn standIn = new RegistryStandIn(server, workers);
        LOG.info("Schema registry stand-in ready at {}", standIn.url());
        return standIn;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8081}, without a trailing slash. */
    public URI url() {
        return url;
    }

    /**
     * Stops accepting requests, waits up to 5 s for requests in progress, and drops every
     * registered schema. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LoopbackHttpServer.stop(server, workers, CLOSE_TIMEOUT.toMillis());
        LOG.info("Schema registry stand-in at {} stopped", url);
    }
}
