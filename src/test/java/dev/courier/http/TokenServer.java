package dev.courier.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OAuth2 token endpoint on 127.0.0.1 for tests: its n-th request (from 1) gets {@code script.apply(n)}, by default
 * the token {@code tok-n} for {@code expires_in} 100 s. {@link #hold} makes the next requests wait until
 * {@link #release}, so tests can see calls waiting for a token; {@link #close} releases them.
 */
final class TokenServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger count = new AtomicInteger();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private volatile IntFunction<MockResponse> script = n -> token("tok-" + n, 100);
    private volatile CountDownLatch gate;

    TokenServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                int n = count.incrementAndGet();
                synchronized (requests) {
                    requests.add(request);
                    requests.notifyAll();
                }
                CountDownLatch held = gate;
                if (held != null) {
                    held.await(20, TimeUnit.SECONDS);
                }
                return script.apply(n);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** A token answer: {@code access_token}, {@code token_type} Bearer and, unless negative, {@code expires_in}. */
    static MockResponse token(String token, long expiresIn) {
        return json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\""
                + (expiresIn < 0 ? "" : ",\"expires_in\":" + expiresIn) + "}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    URI url() {
        return server.url("/oauth/token").uri();
    }

    void script(IntFunction<MockResponse> script) {
        this.script = script;
    }

    /** Requests from now on wait until {@link #release}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch held = gate;
        gate = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Requests received so far, whether answered yet or not. */
    int count() {
        return count.get();
    }

    /** Waits (at most 10 s) until {@code n} requests have arrived, and returns the n-th. */
    RecordedRequest awaitRequest(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (requests) {
            while (requests.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the token endpoint got " + requests.size() + " requests, not " + n);
                }
                requests.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return requests.get(n - 1);
        }
    }

    @Override
    public void close() {
        release();
        server.close();
    }
}
