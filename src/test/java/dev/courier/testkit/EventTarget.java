package dev.courier.testkit;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * An HTTP target for scenarios with thousands of events: each event calls {@code /e/<id>}, the target
 * counts the calls each event gets and remembers the {@code Idempotency-Key} each call carried, and a
 * {@link Behaviour} answers each call knowing whose call it is and how many came before.
 *
 * <p>Thread-safe: MockWebServer serves each connection on a thread of its own.
 */
public final class EventTarget implements AutoCloseable {

    /** How the target answers the {@code call}-th call (from 1) of event {@code id}; may block. */
    public interface Behaviour {
        MockResponse answer(String id, int call) throws InterruptedException;
    }

    /** The value recorded for a call that carried no {@code Idempotency-Key}. */
    public static final String NO_KEY = "<none>";

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final RecordingTarget server;

    public EventTarget(Behaviour behaviour) throws IOException {
        this.server = new RecordingTarget(request -> answer(request, behaviour));
    }

    private MockResponse answer(RecordedRequest request, Behaviour behaviour) {
        String id = request.getUrl().pathSegments().get(1);
        int call = calls.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        String key = request.getHeaders().get("Idempotency-Key");
        keys.computeIfAbsent(id, i -> ConcurrentHashMap.newKeySet()).add(key == null ? NO_KEY : key);
        try {
            return behaviour.answer(id, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status(500);
        }
    }

    /** The URL event {@code id} calls. */
    public String url(String id) {
        return server.url("/e/" + id);
    }

    /** Calls event {@code id} got so far. */
    public int calls(String id) {
        AtomicInteger count = calls.get(id);
        return count == null ? 0 : count.get();
    }

    /** Calls of all events so far. */
    public int totalCalls() {
        return total.get();
    }

    /** Events called at least once so far. */
    public int eventsCalled() {
        return calls.size();
    }

    /** Events whose id starts with {@code prefix} called at least once so far. */
    public long eventsCalled(String prefix) {
        return calls.keySet().stream().filter(id -> id.startsWith(prefix)).count();
    }

    /** Every call so far, in the order it arrived, with when. */
    public java.util.List<RecordingTarget.Arrival> arrivals() {
        return server.arrivals("/e/");
    }

    /** The distinct {@code Idempotency-Key} values the calls of {@code id} carried ({@link #NO_KEY} for none). */
    public Set<String> idempotencyKeys(String id) {
        return Set.copyOf(keys.getOrDefault(id, Set.of()));
    }

    /** For each number of calls, how many of {@code ids} got that many. */
    public SortedMap<Integer, Integer> callHistogram(Collection<String> ids) {
        SortedMap<Integer, Integer> histogram = new TreeMap<>();
        ids.forEach(id -> histogram.merge(calls(id), 1, Integer::sum));
        return histogram;
    }

    /** The histogram as {@code "1 call: 18000, 2 calls: 1800, ..."}. */
    public static String format(SortedMap<Integer, Integer> histogram) {
        StringBuilder text = new StringBuilder();
        histogram.forEach((count, events) -> text.append(text.length() == 0 ? "" : ", ").append(count)
                .append(count == 1 ? " call: " : " calls: ").append(events));
        return text.toString();
    }

    /**
     * A response of {@code code} without a body. MockWebServer writes a body apart from the headers, and on
     * loopback Nagle's algorithm with delayed ACKs then holds each such response about 40 ms; without a
     * body a call takes well under a millisecond.
     */
    public static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
