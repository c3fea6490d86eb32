package dev.courier.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP API that behaves in the ways Courier must handle, for {@code courier demo},
 * {@code courier dev}, {@code courier demo-target} and tests. On 127.0.0.1 (or the address given), any method:
 *
 * <ul>
 *   <li>{@code /ok} answers 200 with a small JSON body;
 *   <li>{@code /flaky} answers 503 twice, then 200, for each distinct request (path, query and
 *       {@code Idempotency-Key});
 *   <li>{@code /missing} answers 404;
 *   <li>{@code /rate-limited} answers 429 with {@code Retry-After: 1} the first time for each distinct
 *       request, then 200;
 *   <li>{@code /slow} answers 200 after {@code delayMs} milliseconds (query parameter, default 3000),
 *       scheduled rather than slept, so slow answers hold no server thread;
 *   <li>{@code /status/NNN} answers status NNN;
 *   <li>{@code POST /oauth/token} is an OAuth2 token endpoint (client credentials) for the demo client, whose tokens
 *       last 5 minutes; {@code /secure/...} answers 401 without one of its tokens, then as {@code /...} does;
 *   <li>{@code /webhooks/...} answers 401 unless the request is signed as Standard Webhooks define with the demo
 *       secret, then as {@code /...} does.
 * </ul>
 *
 * The demo credentials are public (see {@link DemoCredentials}; {@code examples/secrets/} holds them).
 *
 * <p>For development and tests only. Thread-safe.
 */
public final class DemoTarget implements AutoCloseable {

    /** The paths it answers, in words; {@code courier dev --help} shows them. */
    public static final String PATHS = "/ok (200), /flaky (503 twice, then 200), /missing (404), /rate-limited (429"
            + " with Retry-After: 1, then 200), /slow?delayMs=N (200 after N ms, default 3000), /status/NNN (status NNN);"
            + " /secure/... needs a token from POST /oauth/token (OAuth2 client credentials, the demo client),"
            + " /webhooks/... a Standard Webhooks signature with the demo secret (examples/secrets/ holds both)";

    /** The demo OAuth2 client's id and secret, and the demo signing secret: public, for the sandbox only. */
    public static final String DEMO_CLIENT_ID = DemoCredentials.CLIENT_ID;
    public static final String DEMO_CLIENT_SECRET = DemoCredentials.CLIENT_SECRET;
    public static final String DEMO_SIGNING_SECRET = DemoCredentials.SIGNING_SECRET;
    /** The most of a request body read, to check its signature. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;


    private static final Logger LOG = LoggerFactory.getLogger(DemoTarget.class);
    private static final Duration DEFAULT_SLOW = Duration.ofSeconds(3);
    private static final int MAX_REMEMBERED = 100_000;

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService delays;
    private final URI url;
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final DemoCredentials credentials = new DemoCredentials(java.time.Clock.systemUTC());

    private DemoTarget(HttpServer server, ThreadPoolExecutor workers, ScheduledExecutorService delays, String host) {
        this.server = server;
        this.workers = workers;
        this.delays = delays;
        this.url = URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    /**
     * Starts serving on {@code 127.0.0.1:port}; 0 picks a free port.
     *
     * @throws SandboxStartupException if the port is taken
     */
    public static DemoTarget start(int port) {
        return start(LoopbackPorts.HOST, port);
    }

    /**
     * Starts serving on {@code host:port} (0 picks a free port). Only {@code courier demo-target} binds another address
     * than 127.0.0.1: {@code 0.0.0.0} in a container, where the other containers of the compose stack call it.
     *
     * @throws SandboxStartupException if the port is taken or {@code host} cannot be bound
     */
    public static DemoTarget start(String host, int port) {
        LoopbackPorts.requireValid("port", port);
        HttpServer server = LoopbackHttpServer.bind(host, port, "the demo target");
        ThreadPoolExecutor workers = LoopbackHttpServer.workers("courier-demo-target-", 4, 1024);
        ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "courier-demo-target-delays");
            thread.setDaemon(true);
            return thread;
        });
        DemoTarget target = new DemoTarget(server, workers, delays, host);
        server.createContext("/", target::handle);
        server.setExecutor(workers);
        server.start();
        LOG.info("Demo target ready at {}", target.url);
        return target;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090} ({@code http://0.0.0.0:8090} when bound to every address). */
    public URI url() {
        return url;
    }

    /** Requests served so far, every attempt counted. */
    public long calls() {
        return calls.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/oauth/token")) {
            DemoCredentials.Answer answer = exchange.getRequestMethod().equals("POST")
                    ? credentials.token(exchange.getRequestHeaders().getFirst("Authorization"),
                            new String(body, StandardCharsets.UTF_8))
                    : new DemoCredentials.Answer(405, "{\"error\":\"invalid_request\"}");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            respond(exchange, answer.status(), answer.json());
            return;
        }
        if (path.startsWith("/secure/")) {
            if (!credentials.isAuthorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                respond(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            path = path.substring("/secure".length());
        } else if (path.startsWith("/webhooks/")) {
            if (!credentials.isSigned(exchange.getRequestHeaders(), body)) {
                respond(exchange, 401, "{\"error\":\"invalid signature\"}");
                return;
            }
            path = path.substring("/webhooks".length());
        }
        answer(exchange, path);
    }

    /** Answers as the path (after any /secure or /webhooks) says. */
    private void answer(HttpExchange exchange, String path) throws IOException {
        switch (path) {
            case "/ok" -> respond(exchange, 200, "{\"ok\":true}");
            case "/flaky" -> respond(exchange, attemptOf(exchange) <= 2 ? 503 : 200, "{\"flaky\":true}");
            case "/missing" -> respond(exchange, 404, "{\"error\":\"no such thing\"}");
            case "/rate-limited" -> {
                if (attemptOf(exchange) == 1) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    respond(exchange, 429, "{\"error\":\"slow down\"}");
                } else {
                    respond(exchange, 200, "{\"ok\":true}");
                }
            }
            case "/slow" -> delays.schedule(() -> respondQuietly(exchange, 200, "{\"slow\":true}"),
                    delayOf(exchange).toMillis(), TimeUnit.MILLISECONDS);
            default -> {
                if (path.matches("/status/[1-5]\\d\\d")) {
                    respond(exchange, Integer.parseInt(path.substring("/status/".length())), "{}");
                } else {
                    respond(exchange, 404, "{\"error\":\"unknown path\"}");
                }
            }
        }
    }

    /** Which attempt this is of the same request, counting from 1. */
    private int attemptOf(HttpExchange exchange) {
        if (seen.size() > MAX_REMEMBERED) {
            seen.clear();
        }
        String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String request = exchange.getRequestURI() + "|" + (idempotencyKey == null ? "" : idempotencyKey);
        return seen.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
    }

    private static Duration delayOf(HttpExchange exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("delayMs=")) {
                    try {
                        return Duration.ofMillis(Long.parseLong(parameter.substring("delayMs=".length())));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        return DEFAULT_SLOW;
    }

    private static void respondQuietly(HttpExchange exchange, int status, String body) {
        try {
            respond(exchange, status, body);
        } catch (IOException e) {
            LOG.debug("The client left before the slow answer: {}", e.getMessage());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving; slow answers still pending are dropped. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        delays.shutdownNow();
        LoopbackHttpServer.stop(server, workers, 2000);
        LOG.info("Demo target at {} stopped", url);
    }
}
