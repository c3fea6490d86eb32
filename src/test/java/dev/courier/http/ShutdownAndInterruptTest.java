package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Failure.Kind;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** close() ends the calls in progress; an interrupted worker gets a failure and keeps its interrupt. */
@Timeout(20)
class ShutdownAndInterruptTest {

    private final MockWebServer server = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        caller = Callers.onLoopback(settings().readTimeout(Duration.ofSeconds(1)).build(), Clock.systemUTC(), 4);
    }

    @AfterEach
    void stop() {
        caller.close();
        server.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    @Test
    void closeCancelsACallInProgressPromptly() throws Exception {
        caller.close();
        caller = Callers.onLoopback(settings().readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(30), Duration.ofSeconds(30)).build(), Clock.systemUTC(), 4);
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        Worker worker = Worker.start(caller, request(HttpMethod.POST, url("/never")).build());
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).as("the request reached the server").isNotNull();

        long closing = System.nanoTime();
        caller.close();
        AttemptResult result = worker.result();

        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
        assertThat(result).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
            assertThat(failure.message()).isEqualTo("canceled after the request was sent: the HTTP caller is closing");
        });
    }

    @Test
    void aCallAfterCloseFailsAtOnceWithoutSending() {
        caller.close();
        caller.close();

        AttemptResult result = caller.call(get(url("/late")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
            assertThat(failure.message()).isEqualTo("not sent: the HTTP caller is closed");
        });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anInterruptedWorkerGetsAFailureWithoutSendingAndKeepsItsInterrupt() throws Exception {
        server.enqueue(new MockResponse.Builder().body("not for an interrupted worker").build());
        Worker worker = Worker.start(caller, get(url("/")).build(), () -> Thread.currentThread().interrupt());

        AttemptResult result = worker.result();

        assertThat(result).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
            assertThat(failure.message()).isEqualTo("interrupted before the request was sent");
        });
        assertThat(worker.interruptedAfterCall()).isTrue();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anInterruptWhileWaitingForTheResponseIsKept() throws Exception {
        // A thread blocked in a socket read does not notice an interrupt: the attempt ends at its read
        // timeout, and the interrupt is still set when call returns.
        server.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).build());
        Worker worker = Worker.start(caller, get(url("/slow")).build());
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).as("the request reached the server").isNotNull();

        worker.thread.interrupt();
        AttemptResult result = worker.result();

        assertThat(result).isInstanceOfSatisfying(Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED));
        assertThat(worker.interruptedAfterCall()).isTrue();
    }

    /** Makes one call on a thread of its own, and notes whether that thread was interrupted after it. */
    private static final class Worker {
        private final CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        private volatile boolean interruptedAfterCall;
        private final Thread thread;

        private Worker(OkHttpCaller caller, DispatchRequest request, Runnable before) {
            thread = new Thread(() -> {
                before.run();
                try {
                    AttemptResult attempt = caller.call(request, 1);
                    interruptedAfterCall = Thread.currentThread().isInterrupted();
                    result.complete(attempt);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "test-worker");
        }

        static Worker start(OkHttpCaller caller, DispatchRequest request) {
            return start(caller, request, () -> { });
        }

        static Worker start(OkHttpCaller caller, DispatchRequest request, Runnable before) {
            Worker worker = new Worker(caller, request, before);
            worker.thread.start();
            return worker;
        }

        AttemptResult result() throws Exception {
            AttemptResult attempt = result.get(10, TimeUnit.SECONDS);
            thread.join(TimeUnit.SECONDS.toMillis(5));
            return attempt;
        }

        boolean interruptedAfterCall() {
            return interruptedAfterCall;
        }
    }
}
