package dev.courier.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.courier.config.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's admin HTTP server (the JDK's own): health probes, Prometheus metrics, and whatever else registers a
 * {@link #route}. It answers GET and HEAD only. Routes of {@link Access#TOKEN} require {@code Authorization: Bearer
 * <token>} when a token is configured ({@code courier.admin.token}), and answer 401 without it; {@link Access#OPEN}
 * routes (the health probes) never do. The token is compared in constant time and never logged.
 *
 * <p>Threads: requests are served on two daemon threads ({@code courier-admin-N}) with a queue of 32; beyond it the
 * server's own thread serves, so a flood of scrapes slows the scrapes, not the engine. {@link #route} and
 * {@link #close} may be called from any thread.
 */
public final class AdminServer implements AutoCloseable {

    /** Who may call a route. */
    public enum Access {
        /** Anyone who reaches the port: for probes. */
        OPEN,
        /** With the bearer token, when one is configured. */
        TOKEN
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int THREADS = 2;
    private static final int QUEUED = 32;

    private record Entry(Access access, AdminRoute route) {
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final byte[] token;
    private final Map<String, Entry> exact = new ConcurrentHashMap<>();
    private final Map<String, Entry> prefixes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private AdminServer(HttpServer server, ThreadPoolExecutor workers, Secret token) {
        this.server = server;
        this.workers = workers;
        this.token = token == null ? null : token.value().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts a server on {@code bind:port} with no routes yet; every path answers 404 until one is registered.
     *
     * @param port  0 for a free port; {@link #port()} tells which
     * @param token the bearer token {@link Access#TOKEN} routes require, or null for none
     * @throws IOException when the address cannot be bound (the port is taken, say)
     */
    public static AdminServer start(String bind, int port, Secret token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED), task -> {
                    Thread thread = new Thread(task, "courier-admin-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        AdminServer admin = new AdminServer(server, workers, token);
        server.createContext("/", admin::handle);
        server.setExecutor(workers);
        server.start();
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
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            respond(exchange, answer(exchange));
        } catch (IOException e) {
            LOG.debug("An admin request ended early: {}", e.getMessage());
        }
    }

    private AdminResponse answer(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Entry entry = path == null ? null : find(path);
        if (entry == null) {
            return AdminResponse.error(404, "no such endpoint: " + path);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            return AdminResponse.error(405, "only GET and HEAD are allowed");
        }
        if (entry.access() == Access.TOKEN && token != null && !authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"courier\"");
            return AdminResponse.error(401, "this endpoint requires the admin token (Authorization: Bearer ...)");
        }
        try {
            return entry.route().answer(path);
        } catch (RuntimeException e) {
            LOG.warn("The admin endpoint {} failed", path, e);
            return AdminResponse.error(500, "the endpoint failed: " + e.getClass().getSimpleName());
        }
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

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, token);
    }

    private static void respond(HttpExchange exchange, AdminResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : (response.body().length == 0 ? -1
                : response.body().length));
        if (!head && response.body().length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(response.body());
            }
        }
    }

    /** Stops listening at once and lets the requests in progress finish within a second. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
