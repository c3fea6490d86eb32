package dev.courier.http;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;

/**
 * Makes HTTP attempts. The only part of Courier that knows the HTTP client library.
 *
 * <p>Thread-safe: the dispatcher's worker threads call it concurrently.
 */
public interface HttpCaller extends AutoCloseable {

    /**
     * Makes one attempt of {@code request} and blocks the calling thread until it ends, at most for
     * the attempt's timeout. Never throws for I/O: every way an attempt can end is an
     * {@link AttemptResult}, classified by whether the request may have reached the server.
     *
     * @param attempt 1 for the first attempt of the event, 2 for the second, and so on
     */
    AttemptResult call(DispatchRequest request, int attempt);

    /** Cancels the calls in progress (they end as failures) and releases connections. */
    @Override
    void close();
}
