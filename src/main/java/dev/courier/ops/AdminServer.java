package dev.courier.ops;

import dev.courier.config.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's admin HTTP server: health probes, Prometheus metrics, and whatever else registers a {@link #route}. It
 * answers GET and HEAD only, one request per connection. Routes of {@link Access#TOKEN} require {@code Authorization:
 * Bearer <token>} when a token is configured ({@code courier.admin.token}), and answer 401 without it;
 * {@link Access#OPEN} routes (the health probes) never do. The token is compared in constant time and never logged.
 *
 * <p>Slow or stalled clients cannot silence it: connections are read and written without blocking on one IO thread
 * ({@link AdminConnections}) within the {@link Limits}, so no client holds a thread. Routes run on worker threads: the
 * open routes (the probes) on one thread of their own ({@code courier-admin-probe}, a queue of 16), the others on two
 * ({@code courier-admin-N}, a queue of 32); past a queue the request is answered 503 at once, so a flood of scrapes or
 * slow forwarded status queries slows neither the probes nor the engine. {@link #route} and {@link #close} may be
 * called from any thread.
 */
public final class AdminServer implements AutoCloseable {

    /** Who may call a route. */
    public enum Access {
        /** Anyone who reaches the port: for probes. */
        OPEN,
        /** With the bearer token, when one is configured. */
        TOKEN
    }

    /**
     * What the server allows each client.
     *
     * @param headTimeout    the longest a request head may take to arrive, from the connection's accept; 408 after
     * @param writeTimeout   the longest a client may take to read the answer; the connection is closed after
     * @param maxConnections connections open at once; a new one closes the oldest still reading or writing
     * @param maxHeadBytes   the largest request head (request line and headers); 431 over it
     */
    record Limits(Duration headTimeout, Duration writeTimeout, int maxConnections, int maxHeadBytes) {

        /** 5 s for a head, 10 s to read an answer, 256 connections, 8 KiB heads. */
        static final Limits DEFAULTS = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(10), 256, 8 * 1024);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int WORKERS = 2;
    private static final int QUEUED = 32;
    private static final int PROBES_QUEUED = 16;

    private record Entry(Access access, AdminRoute route) {
    }

    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor probes;
    private final byte[] token;
    private final Map<String, Entry> exact = new ConcurrentHashMap<>();
    private final Map<String, Entry> prefixes = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AdminConnections connections;

    private AdminServer(Secret token) {
        AtomicInteger counter = new AtomicInteger();
        this.workers = pool(WORKERS, QUEUED, () -> "courier-admin-" + counter.incrementAndGet());
        this.probes = pool(1, PROBES_QUEUED, () -> "courier-admin-probe");
        this.token = token == null ? null : token.value().getBytes(StandardCharsets.UTF_8);
    }

    private static ThreadPoolExecutor pool(int threads, int queued, java.util.function.Supplier<String> names) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued),
                task -> {
                    Thread thread = new Thread(task, names.get());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Starts a server on {@code bind:port} with no routes yet; every path answers 404 until one is registered.
     *
     * @param port  0 for a free port; {@link #port()} tells which
     * @param token the bearer token {@link Access#TOKEN} routes require, or null for none
     * @throws IOException when the address cannot be bound ({@link java.net.BindException} when the port is taken)
     */
    public static AdminServer start(String bind, int port, Secret token) throws IOException {
        return start(bind, port, token, Limits.DEFAULTS);
    }

    /** {@link #start(String, int, Secret)} with other {@link Limits}. */
    static AdminServer start(String bind, int port, Secret token, Limits limits) throws IOException {
        AdminServer admin = new AdminServer(token);
        try {
            admin.connections = AdminConnections.open(new InetSocketAddress(bind, port), limits, admin::handle);
        } catch (IOException | RuntimeException e) {
            admin.workers.shutdownNow();
            admin.probes.shutdownNow();
            throw e;
        }
        return admin;
    }

    /**
     * Serves {@code route} at {@code path}: that path exactly, or every path under it when {@code path} ends with
     * {@code /} (as {@code /requests/} for {@code /requests/{id}}). A later registration of the same path replaces
     * the earlier.
     */
    public void route(String path, Access access, AdminRoute route) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + path);
        }
        (path.endsWith("/") && path.length() > 1 ? prefixes : exact).put(path, new Entry(access, route));
    }

    /** The port the server listens on. */
    public int port() {
        return connections.port();
    }

    /** On the IO thread: refusals at once, routes on their pool; must not block. */
    private void handle(RequestHead head, AdminConnections.Reply reply) {
        boolean headOnly = head.method().equals("HEAD");
        String path = head.path();
        Entry entry = path == null ? null : find(path);
        if (entry == null) {
            reply.send(http(AdminResponse.error(404, "no such endpoint: " + path), headOnly, Map.of()));
            return;
        }
        if (!head.method().equals("GET") && !headOnly) {
            reply.send(http(AdminResponse.error(405, "only GET and HEAD are allowed"), false,
                    Map.of("Allow", "GET, HEAD")));
            return;
        }
        if (entry.access() == Access.TOKEN && token != null && !authorized(head.headers().get("authorization"))) {
            reply.send(http(AdminResponse.error(401, "this endpoint requires the admin token (Authorization: Bearer"
                    + " ...)"), headOnly, Map.of("WWW-Authenticate", "Bearer realm=\"courier\"")));
            return;
        }
        try {
            (entry.access() == Access.OPEN ? probes : workers).execute(
                    () -> reply.send(http(answer(entry, path), headOnly, Map.of())));
        } catch (RejectedExecutionException e) {
            reply.send(http(AdminResponse.error(503, "the admin server is busy; try again shortly"), headOnly,
                    Map.of("Retry-After", "1")));
        }
    }

    private static AdminResponse answer(Entry entry, String path) {
        try {
            return entry.route().answer(path);
        } catch (RuntimeException e) {
            LOG.warn("The admin endpoint {} failed", path, e);
            return AdminResponse.error(500, "the endpoint failed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] http(AdminResponse response, boolean headOnly, Map<String, String> extra) {
        return ResponseBytes.of(response.status(), response.contentType(), response.body(), headOnly, extra);
    }

    private Entry find(String path) {
        Entry entry = exact.get(path);
        if (entry != null) {
            return entry;
        }
        for (Map.Entry<String, Entry> prefix : prefixes.entrySet()) {
            if (path.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return null;
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, token);
    }

    /** Stops listening at once and lets the requests in progress finish within a second. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connections.close();
        for (ThreadPoolExecutor pool : new ThreadPoolExecutor[] {workers, probes}) {
            pool.shutdown();
        }
        try {
            for (ThreadPoolExecutor pool : new ThreadPoolExecutor[] {workers, probes}) {
                if (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            probes.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
