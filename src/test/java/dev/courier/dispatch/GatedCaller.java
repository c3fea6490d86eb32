package dev.courier.dispatch;

import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.DispatchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link HttpCaller} for real threads: each call waits at a gate until the test opens it (or the caller is
 * closed, or the thread interrupted), then answers 200. It counts the calls in progress, overall, per host and per
 * group (the request id up to its first dash), and keeps the highest counts seen. Thread-safe.
 */
final class GatedCaller implements HttpCaller {

    private final CountDownLatch gate = new CountDownLatch(1);
    private final Semaphore arrivals = new Semaphore(0);
    private final Map<String, CountDownLatch> extraGates = new ConcurrentHashMap<>();
    private final Concurrency overall = new Concurrency();
    private final Map<String, Concurrency> perHost = new ConcurrentHashMap<>();
    private final Map<String, Concurrency> perGroup = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();

    /** Calls in progress now, and the most seen at once. */
    static final class Concurrency {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        void enter() {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }

        int most() {
            return most.get();
        }
    }

    /** Lets every call waiting at the gate, and every later one, through. */
    void open() {
        gate.countDown();
    }

    /** The call of request {@code id} also waits for {@code latch}, after the gate. */
    void alsoWaitFor(String id, CountDownLatch latch) {
        extraGates.put(id, latch);
    }

    /** Waits until {@code count} more calls have started; false when the timeout passes first. */
    boolean awaitArrivals(int count, Duration timeout) throws InterruptedException {
        return arrivals.tryAcquire(count, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public AttemptResult call(DispatchRequest request, int attempt) {
        Instant start = Instant.now();
        String group = request.id().split("-")[0];
        Concurrency host = perHost.computeIfAbsent(request.host(), ignored -> new Concurrency());
        Concurrency ofGroup = perGroup.computeIfAbsent(group, ignored -> new Concurrency());
        overall.enter();
        host.enter();
        ofGroup.enter();
        started.add(request.id());
        arrivals.release();
        try {
            gate.await();
            CountDownLatch extra = extraGates.get(request.id());
            if (extra != null) {
                extra.await();
            }
            return Results.status(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure(Failure.Kind.NOT_SENT, "interrupted", start, Duration.between(start, Instant.now()));
        } finally {
            ofGroup.leave();
            host.leave();
            overall.leave();
        }
    }

    int mostInProgress() {
        return overall.most();
    }

    int mostInProgressToHost(String host) {
        return perHost.get(host).most();
    }

    int mostInProgressOfGroup(String group) {
        return perGroup.get(group).most();
    }

    /** The request ids in the order their calls started. */
    List<String> started() {
        return started;
    }

    /** Opens the gate, as a real caller's close ends the calls in progress. */
    @Override
    public void close() {
        open();
    }
}
