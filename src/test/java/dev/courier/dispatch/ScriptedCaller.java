package dev.courier.dispatch;

import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An {@link HttpCaller} that answers each request id from a script (the last answer repeats; 200 when there is no
 * script) and records every call with the virtual time it started at. For the virtual-time tests: one thread.
 */
final class ScriptedCaller implements HttpCaller {

    /** One call: which request, which attempt, and when it started. */
    record Call(String id, int attempt, Duration at) {
    }

    private final VirtualTime time;
    private final Map<String, Deque<AttemptResult>> scripts = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private Consumer<DispatchRequest> duringCall = request -> { };
    private boolean closed;

    ScriptedCaller(VirtualTime time) {
        this.time = time;
    }

    /** Request {@code id} gets these results, one per attempt; the last one repeats. */
    ScriptedCaller script(String id, AttemptResult... results) {
        scripts.put(id, new ArrayDeque<>(List.of(results)));
        return this;
    }

    /** Runs {@code action} in the middle of every call, as if it happened while the call was in progress. */
    void duringCall(Consumer<DispatchRequest> action) {
        this.duringCall = action;
    }

    @Override
    public AttemptResult call(DispatchRequest request, int attempt) {
        calls.add(new Call(request.id(), attempt, time.elapsed()));
        duringCall.accept(request);
        Deque<AttemptResult> script = scripts.get(request.id());
        if (script == null) {
            return Results.status(200);
        }
        return script.size() > 1 ? script.poll() : script.peek();
    }

    List<Call> calls() {
        return calls;
    }

    /** When each call of request {@code id} started, in order. */
    List<Duration> startsOf(String id) {
        return calls.stream().filter(call -> call.id().equals(id)).map(Call::at).toList();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
