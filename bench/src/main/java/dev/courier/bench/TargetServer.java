package dev.courier.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's HTTP target: answers every request after a configurable latency with a status drawn from a
 * configurable mix, and logs the arrival time of each request (for the rate-accuracy run).
 *
 * <p>The latency is <em>scheduled</em>: the handler reads the request and hands the response to a timer, so no thread
 * sleeps and a thousand requests in their 50 ms cost nothing while they wait. It is the JDK's HTTP server with
 * Nagle's algorithm off ({@code sun.net.httpserver.nodelay}; otherwise each small response waits for the client's
 * delayed ACK, about 40 ms) and with up to 10,000 idle keep-alive connections
 * ({@code sun.net.httpserver.maxIdleConnections}; its default of 200 would close pooled connections under a client
 * with 1,024 of them). Both properties are read once when the server classes load, so {@link #start} sets them
 * first. Binds 127.0.0.1 only.
 *
 * <p>Thread-safe; {@link #configure} and {@link #arrivals} may be called at any time from any thread.
 */
final class TargetServer implements AutoCloseable {

    private static final byte[] OK_BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;
    private final ArrivalLog arrivals = new ArrivalLog(4_000_000);
    private final AtomicLong requests = new AtomicLong();
    private volatile long delayMs;
    private volatile StatusMix statuses = StatusMix.parse("200=100");
    /** While set, {@code /work/{seq}} answers by event instead of by the mix: see {@link #configureFlaky}. */
    private volatile java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> flakyCalls;

    private TargetServer(HttpServer server, ExecutorService handlers, ScheduledExecutorService timer) {
        this.server = server;
        this.handlers = handlers;
        this.timer = timer;
    }

    /** Starts the target on a free port of 127.0.0.1 with {@code threads} handler threads. */
    static TargetServer start(int threads) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService handlers = Executors.newFixedThreadPool(threads, daemon("target-handler"));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, daemon("target-timer"));
        TargetServer target = new TargetServer(server, handlers, timer);
        server.createContext("/", target::handle);
        server.setExecutor(handlers);
        server.start();
        return target;
    }

    /** Sets the latency of every response from now on, and the mix of statuses (e.g. {@code 200=95,503=5}). */
    void configure(long delayMs, String statusMix) {
        this.delayMs = delayMs;
        this.statuses = StatusMix.parse(statusMix);
    }

    /**
     * From now on each event answers as a host that fails a little (the goodput run): one event in ten gets 503 twice
     * before a 200 (about 17 % of the answers are 503s), one in twenty a 404, the others 200; by a hash of the event's
     * path, with its calls counted afresh. {@code false} goes back to the status mix.
     */
    void configureFlaky(boolean flaky) {
        this.flakyCalls = flaky ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Arrival times of the requests since the last {@link ArrivalLog#reset()}. */
    ArrivalLog arrivals() {
        return arrivals;
    }

    /** Requests answered or being answered since start. */
    long requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        arrivals.record(System.nanoTime());
        long n = requests.getAndIncrement();
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        var flaky = flakyCalls;
        int status = flaky == null ? statuses.statusFor(n) : flakyStatus(flaky, exchange.getRequestURI().getPath());
        long delay = delayMs;
        if (delay <= 0) {
            respond(exchange, status);
        } else {
            timer.schedule(() -> respond(exchange, status), delay, TimeUnit.MILLISECONDS);
        }
    }

    private static int flakyStatus(java.util.Map<String, AtomicInteger> calls, String path) {
        int call = calls.computeIfAbsent(path, ignored -> new AtomicInteger()).incrementAndGet();
        int n = Math.floorMod(path.hashCode() * 31 + 7, 20);
        if (n < 2) {
            return call <= 2 ? 503 : 200;
        }
        return n == 2 ? 404 : 200;
    }

    private static void respond(HttpExchange exchange, int status) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, OK_BODY.length);
            exchange.getResponseBody().write(OK_BODY);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        handlers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Which status the n-th request gets: a deterministic mix by percentage, e.g. {@code 200=95,503=5}. */
    record StatusMix(int[] statusByPercent) {

        static StatusMix parse(String spec) {
            int[] table = new int[100];
            int filled = 0;
            for (String part : spec.split(",")) {
                String[] pair = part.trim().split("=");
                int status = Integer.parseInt(pair[0].trim());
                int percent = Integer.parseInt(pair[1].trim());
                for (int i = 0; i < percent && filled < 100; i++) {
                    table[filled++] = status;
                }
            }
            if (filled != 100) {
                throw new IllegalArgumentException("status mix must add up to 100%: " + spec);
            }
            return new StatusMix(table);
        }

        int statusFor(long n) {
            // spread each status's share evenly over every 100 requests
            return statusByPercent[(int) ((n * 37) % 100)];
        }
    }

    /** A bounded log of arrival times (System.nanoTime()); past its capacity, arrivals are counted but not kept. */
    static final class ArrivalLog {
        private final long[] times;
        private final AtomicInteger next = new AtomicInteger();

        ArrivalLog(int capacity) {
            times = new long[capacity];
        }

        void record(long nanos) {
            int index = next.getAndIncrement();
            if (index < times.length) {
                times[index] = nanos;
            }
        }

        void reset() {
            next.set(0);
        }

        /** A copy of the arrival times kept since the last reset, in arrival order (nearly: threads race). */
        long[] snapshot() {
            int count = Math.min(next.get(), times.length);
            long[] copy = java.util.Arrays.copyOf(times, count);
            java.util.Arrays.sort(copy);
            return copy;
        }
    }
}
