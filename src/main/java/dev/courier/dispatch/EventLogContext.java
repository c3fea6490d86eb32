package dev.courier.dispatch;

import dev.courier.model.DispatchRequest;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * Puts the ids of the event a worker is busy with into the logging context (SLF4J's MDC), so every line logged
 * meanwhile on that thread, by the HTTP client, the retry policy or the publisher, carries {@code requestId} and
 * {@code correlationId} as fields of its own (the JSON log format writes them). Holds nothing else of the event.
 * Worker thread; {@link #close} on the same thread.
 */
final class EventLogContext implements AutoCloseable {

    static final String REQUEST_ID = "requestId";
    static final String CORRELATION_ID = "correlationId";
    /** The logging backend's MDC, looked up once rather than on every attempt. */
    private static final MDCAdapter MDC_ADAPTER = MDC.getMDCAdapter();

    private static final EventLogContext PLAIN = new EventLogContext(false);
    private static final EventLogContext CORRELATED = new EventLogContext(true);

    private final boolean correlated;

    private EventLogContext(boolean correlated) {
        this.correlated = correlated;
    }

    static EventLogContext enter(DispatchRequest request) {
        MDC_ADAPTER.put(REQUEST_ID, request.id());
        boolean correlated = request.correlationId() != null;
        if (correlated) {
            MDC_ADAPTER.put(CORRELATION_ID, request.correlationId());
        }
        return correlated ? CORRELATED : PLAIN;
    }

    @Override
    public void close() {
        MDC_ADAPTER.remove(REQUEST_ID);
        if (correlated) {
            MDC_ADAPTER.remove(CORRELATION_ID);
        }
    }
}
