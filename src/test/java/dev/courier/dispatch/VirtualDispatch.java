package dev.courier.dispatch;

import dev.courier.model.DispatchRequest;

/**
 * A dispatcher in virtual time with a {@link ScriptedCaller} and a {@link RecordingListener}; each event's context
 * is its request id. The backoff's jitter always draws one half, so the waits are half their caps.
 */
final class VirtualDispatch {

    final VirtualTime time = new VirtualTime();
    final ScriptedCaller caller = new ScriptedCaller(time);
    final RecordingListener listener = new RecordingListener();
    final Dispatcher<String> dispatcher;

    /** @param settings alternating setting keys and values, on top of the defaults */
    VirtualDispatch(String... settings) {
        dispatcher = new Dispatcher<>(Requests.settings(settings), caller, listener, time.clock(), time,
                time.workers(), () -> 0.5);
    }

    void submit(DispatchRequest request) {
        dispatcher.submit(request, null, request.id());
    }

    void submit(DispatchRequest request, Object orderingKey) {
        dispatcher.submit(request, orderingKey, request.id());
    }
}
