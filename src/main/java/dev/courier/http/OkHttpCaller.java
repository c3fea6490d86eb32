package dev.courier.http;

import static dev.courier.model.AttemptResult.Failure.Kind.INVALID;
import static dev.courier.model.AttemptResult.Failure.Kind.NOT_SENT;

import dev.courier.config.HttpSettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An {@link HttpCaller} over one shared OkHttp client: pooled keep-alive connections, HTTP/2 where the
 * server offers it, the configured connect / read / write timeouts, a whole-attempt timeout per call,
 * redirects followed only when configured, request and response bodies capped, and no silent retries.
 *
 * <p>Each attempt runs synchronously on the calling thread. Thread-safe: the dispatcher's workers call
 * {@link #call} concurrently, and any thread may call {@link #close}.
 *
 * <p>Interrupts: OkHttp notices an interrupt while it waits for a connection, and the attempt then ends
 * at once; a thread blocked reading the socket does not notice it, and its attempt ends at its timeout
 * or on {@link #close}. Either way the interrupt is still set when {@code call} returns.
 */
public final class OkHttpCaller implements HttpCaller {

    private final OkHttpClient client;
    private final HttpSettings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RequestFactory requests;
    private final ResponseReader responses;
    private final FailureClassifier failures;
    /** The calls in progress, so that {@link #close} reaches each one; at most one per calling thread. */
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private OkHttpCaller(OkHttpClient client, HttpSettings settings, Clock clock, LongSupplier nanoTime) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.requests = new RequestFactory(settings.maxRequestBytes(), settings.idempotencyKeyFromId());
        this.responses = new ResponseReader(settings.maxResponseBytes());
        this.failures = new FailureClassifier(settings);
    }

    /**
     * A caller timed by the system's monotonic clock.
     *
     * @param clock       stamps when each attempt starts
     * @param concurrency the most calls made at once (the worker count), at least 1; idle connections kept
     *                    for reuse are capped at this many
     */
    public static OkHttpCaller create(HttpSettings settings, Clock clock, int concurrency) {
        return create(settings, clock, System::nanoTime, concurrency);
    }

    /**
     * @param nanoTime measures each attempt's latency, in nanoseconds; only differences matter
     */
    public static OkHttpCaller create(HttpSettings settings, Clock clock, LongSupplier nanoTime, int concurrency) {
        return new OkHttpCaller(OkHttpClients.build(settings, concurrency, Dns.SYSTEM), settings, clock, nanoTime);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The attempt's timeout is the event's own, cut to {@code courier.http.max-call-timeout}, or
     * {@code courier.http.call-timeout}; it covers connecting, sending, waiting and reading the body.
     * A body over {@code courier.http.max-request-bytes} is not sent ({@code INVALID}). After {@link #close}
     * every call fails at once ({@code NOT_SENT}).
     */
    @Override
    public AttemptResult call(DispatchRequest request, int attempt) {
        Attempt current = new Attempt(request, settings.attemptTimeout(request.timeout()), clock.instant(), nanoTime);
        if (closed) {
            return current.failure(NOT_SENT, "not sent: the HTTP caller is closed");
        }
        String refusal = requests.refusal(request);
        if (refusal != null) {
            return current.failure(INVALID, refusal);
        }
        Request okRequest;
        try {
            okRequest = requests.create(request, current.trace());
        } catch (IllegalArgumentException e) {
            return current.failure(INVALID, "cannot make the request: " + e.getMessage());
        }
        Call call = client.newCall(okRequest);
        // At least 1 ns: okio reads a timeout of 0 as none.
        call.timeout().timeout(Math.max(1, current.timeout().toNanos()), TimeUnit.NANOSECONDS);
        inFlight.add(call);
        try {
            if (closed) {
                call.cancel(); // close() ran before this call was registered
            }
            return execute(call, current);
        } finally {
            inFlight.remove(call);
        }
    }

    private AttemptResult execute(Call call, Attempt attempt) {
        ResponseReader.Content content;
        try (Response response = call.execute()) {
            content = responses.read(response);
        } catch (IOException e) {
            return failures.classify(e, attempt, call.isCanceled(), closed);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // OkHttp (Kotlin) throws InterruptedException undeclared when interrupted while it awaits a
            // connection; the interrupt status is cleared by then.
            if (!(e instanceof InterruptedException)) {
                throw new IllegalStateException("unexpected checked exception from OkHttp", e);
            }
            Thread.currentThread().interrupt();
            call.cancel(); // stops the connection attempts still running for this call
            return failures.interrupted(attempt);
        }
        return attempt.response(content);
    }

    /**
     * Cancels the calls in progress, which end as failures ({@code NOT_SENT} or {@code MAYBE_DELIVERED}),
     * closes idle connections and stops OkHttp's dispatcher threads. Later calls fail at once. Idempotent;
     * returns without waiting for the canceled calls to return.
     */
    @Override
    public void close() {
        closed = true;
        // dispatcher().cancelAll() reaches synchronous calls too, but not one that has passed the closed
        // check and is not yet registered with the dispatcher; inFlight holds those as well.
        for (Call call : inFlight) {
            call.cancel();
        }
        client.connectionPool().evictAll();
        client.dispatcher().executorService().shutdown();
    }
}
