package dev.courier.dispatch;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The dispatcher's own cost per event, from {@code submit} to the outcome: every gate an event passes (ordering, rate
 * limit with a bucket per key, host, worker, and on branches that have them the key's in-flight share and the host's
 * circuit) and the bookkeeping after its one attempt. The dispatch thread and the workers are the benchmark's thread,
 * running queued tasks in turn; the call answers 200 at once. 1,000 events over 100 hosts per operation, unordered,
 * with a per-key rate too high to ever make an event wait. Compiles against any Courier with this package-private
 * constructor, so the same class measures two builds side by side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DispatcherBenchmark {

    private static final int EVENTS = 1_000;
    private static final int HOSTS = 100;
    private static final AttemptResult OK = new AttemptResult.Response(200, Map.of(), Bytes.empty(), false,
            Instant.EPOCH, Duration.ofMillis(1));

    private final ArrayDeque<Runnable> dispatchTasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> workerTasks = new ArrayDeque<>();
    private final DispatchRequest[] requests = new DispatchRequest[EVENTS];
    private Dispatcher<Integer> dispatcher;
    private long outcomes;

    /** Settings on top, {@code key=value} or empty: {@code courier.circuit.window=0} needs a build with circuits. */
    @Param({""})
    public String extra;

    @Setup
    public void setUp() {
        Map<String, String> overrides = new HashMap<>(Map.of("courier.rate.per-key", "1000000", "courier.ordering",
                "unordered"));
        if (!extra.isEmpty()) {
            overrides.put(extra.substring(0, extra.indexOf('=')), extra.substring(extra.indexOf('=') + 1));
        }
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(overrides));
        Scheduler scheduler = new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void execute(Runnable task) {
                dispatchTasks.add(task);
            }

            @Override
            public void schedule(long delayNanos, Runnable task) {
                dispatchTasks.add(task); // no event ever waits here; a timer would only be tried again early
            }

            @Override
            public boolean stop(Duration timeout) {
                return true;
            }
        };
        Workers workers = new Workers() {
            @Override
            public void execute(Runnable task) {
                workerTasks.add(task);
            }

            @Override
            public boolean stop(Duration timeout) {
                return true;
            }
        };
        HttpCaller caller = new HttpCaller() {
            @Override
            public AttemptResult call(DispatchRequest request, int attempt) {
                return OK;
            }

            @Override
            public void close() {
            }
        };
        dispatcher = new Dispatcher<>(settings, caller, (context, request, outcome) -> outcomes++, Clock.systemUTC(),
                scheduler, workers, () -> 0.5);
        for (int i = 0; i < EVENTS; i++) {
            String host = "h" + (i % HOSTS) + ".example.com";
            requests[i] = new DispatchRequest("r" + i, HttpMethod.GET, URI.create("https://" + host + "/r" + i), null,
                    Map.of(), null, null, null, null, null, null, null, host, Map.of());
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long submitAndFinish() {
        for (int i = 0; i < EVENTS; i++) {
            dispatcher.submit(requests[i], null, i);
        }
        while (!dispatchTasks.isEmpty() || !workerTasks.isEmpty()) {
            Runnable task = dispatchTasks.isEmpty() ? workerTasks.poll() : dispatchTasks.poll();
            task.run();
        }
        return outcomes;
    }
}
