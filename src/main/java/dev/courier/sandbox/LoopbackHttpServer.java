package dev.courier.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP servers of the sandbox: bound to 127.0.0.1 (the demo target alone may be told another address), with
 * Nagle's algorithm off, on a bounded pool.
 */
final class LoopbackHttpServer {

    static {
        // Read once, when the JDK's server classes load. Without it each small response waits for the
        // peer's delayed ACK: about 40 ms on Linux.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server closes idle keep-alive connections beyond 200 (its default). A client with more
        // connections pooled then finds some closed under it; the sandbox should not stage that by accident.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
    }

    private LoopbackHttpServer() {
    }

    /**
     * A server bound to {@code 127.0.0.1:port} (0 for a free port), not yet started.
     *
     * @param what names the server in the error, e.g. "the registry stand-in"
     * @throws SandboxStartupException if the port is taken or cannot be bound
     */
    static HttpServer bind(int port, String what) {
        return bind(LoopbackPorts.HOST, port, what);
    }

    /**
     * A server bound to {@code host:port}, not yet started: {@code courier demo-target} in a container binds
     * {@code 0.0.0.0} so that the other containers reach it; everything else binds 127.0.0.1.
     *
     * @throws SandboxStartupException if the port is taken or the address cannot be bound
     */
    static HttpServer bind(String host, int port, String what) {
        try {
            return HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw LoopbackPorts.inUse(port);
        } catch (IOException e) {
            throw new SandboxStartupException("cannot start " + what + " on port " + port + ": " + e, e);
        }
    }

    /** A fixed pool with a bounded queue; when the queue is full, the server's own thread serves the request. */
    static ThreadPoolExecutor workers(String threadPrefix, int threads, int queued) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued),
                task -> {
                    Thread thread = new Thread(task, threadPrefix + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Stops {@code server} and its pool, waiting up to {@code timeoutMillis} for requests in progress. */
    static void stop(HttpServer server, ThreadPoolExecutor workers, long timeoutMillis) {
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
