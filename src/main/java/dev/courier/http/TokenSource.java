package dev.courier.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access token of one named target with {@code auth=oauth2}, shared by every worker that calls it.
 *
 * <ul>
 *   <li><b>Single flight.</b> At most one request to the token endpoint is in progress: the first call that needs a
 *       token starts it (on OkHttp's dispatcher threads) and every call that needs one meanwhile waits for that same
 *       request, each for at most its own attempt's timeout. The request itself takes at most {@code fetchTimeout}.
 *   <li><b>Cached</b> until shortly before it expires ({@link AccessToken}); <b>renewed ahead</b> of that in the
 *       background, while calls go on with the token they have.
 *   <li><b>After a 401</b> ({@link #renewal}): when the token refused is still the current one and was asked for at
 *       least {@link #MIN_INTERVAL} before, a new one is fetched (once, however many calls got the 401) and the call
 *       repeated with it; a token younger than that was just issued, and its 401 stands, so a target that answers
 *       401 to every token costs the endpoint one request a second at most.
 *   <li><b>A failed fetch</b> fails the calls that waited for it, with a message naming the endpoint, and the calls
 *       of the next {@link #MIN_INTERVAL} at once with the same message, without asking again.
 * </ul>
 *
 * Token lifetimes are measured on {@code nanoTime} (injected: tests run them in virtual time); waits are real waits.
 * The endpoint is asked with {@code client}: the target's own client, without its interceptors. Thread-safe;
 * {@link #close} ends every wait at once.
 */
final class TokenSource implements AutoCloseable {

    /** The shortest time between two requests to the endpoint after a failure or a 401. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);

    private final String target;
    private final TokenEndpoint endpoint;
    private final OkHttpClient client;
    private final Duration fetchTimeout;
    private final LongSupplier nanoTime;
    private final TokenListener listener;

    private final Object lock = new Object();
    /** The token calls use now, or null. Guarded by lock. */
    private AccessToken current;
    /** The request in progress, or null. Guarded by lock. */
    private CompletableFuture<AccessToken> fetching;
    private Call fetchCall;
    /** The last fetch's failure while no fetch has succeeded since, and when it ended. Guarded by lock. */
    private TokenFetchException failure;
    private long failedAt;
    private boolean closed;

    /**
     * @param fetchTimeout the longest one request to the endpoint takes (the target's call timeout)
     * @param nanoTime     the clock of token lifetimes, in nanoseconds (only differences matter)
     */
    TokenSource(String target, TokenEndpoint endpoint, OkHttpClient client, Duration fetchTimeout,
            LongSupplier nanoTime, TokenListener listener) {
        this.target = target;
        this.endpoint = endpoint;
        this.client = client;
        this.fetchTimeout = fetchTimeout;
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    /**
     * A token to send now: the current one, or the one a request to the endpoint brings, waited for at most
     * {@code waitNanos} (0 for as long as that request may take).
     *
     * @throws TokenFetchException   when no token came, naming the endpoint
     * @throws InterruptedIOException when the calling thread was interrupted (the interrupt is re-asserted)
     */
    AccessToken token(long waitNanos) throws IOException {
        CompletableFuture<AccessToken> pending;
        synchronized (lock) {
            if (closed) {
                throw endpoint.closing();
            }
            long now = nanoTime.getAsLong();
            if (current != null && current.usable(now)) {
                if (current.refreshDue(now) && fetching == null && !failedRecently(now)) {
                    start(now);
                }
                return current;
            }
            current = null;
            pending = fetchingOrStart(now);
        }
        return await(pending, waitNanos);
    }

    /**
     * What to repeat a call with after the target answered 401 to {@code refused}: a newer token when there is one,
     * else the one a new request brings (to wait for with {@link #await}); null when the 401 stands, {@code refused}
     * being the current token and younger than {@link #MIN_INTERVAL}.
     *
     * @throws TokenFetchException when the endpoint failed within the last {@link #MIN_INTERVAL}
     */
    CompletableFuture<AccessToken> renewal(AccessToken refused) throws TokenFetchException {
        synchronized (lock) {
            if (closed) {
                throw endpoint.closing();
            }
            long now = nanoTime.getAsLong();
            if (current == refused) {
                if (now - refused.obtainedAt() < MIN_INTERVAL.toNanos()) {
                    return null;
                }
                current = null;
            } else if (current != null && current.usable(now)) {
                return CompletableFuture.completedFuture(current);
            }
            return fetchingOrStart(now);
        }
    }

    /**
     * The token {@code pending} brings, waited for at most {@code waitNanos} (0 for as long as a request may take).
     *
     * @throws TokenFetchException   when it brings none, or not in time
     * @throws InterruptedIOException when the calling thread was interrupted (the interrupt is re-asserted)
     */
    AccessToken await(CompletableFuture<AccessToken> pending, long waitNanos) throws IOException {
        long wait = waitNanos > 0 ? waitNanos : fetchTimeout.toNanos();
        try {
            return pending.get(wait, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TokenFetchException fetch) {
                throw fetch.copy();
            }
            throw new IllegalStateException("unexpected failure of a token fetch", e.getCause());
        } catch (TimeoutException e) {
            throw endpoint.notInTime(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** How long ago the current token was asked for; empty when there is none. */
    Optional<Duration> age() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.age(nanoTime.getAsLong()));
        }
    }

    /** Cancels a request in progress; the calls waiting for it fail at once, and later ones at once too. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<AccessToken> pending;
        Call call;
        synchronized (lock) {
            closed = true;
            pending = fetching;
            call = fetchCall;
            fetching = null;
            fetchCall = null;
        }
        if (pending != null) {
            pending.completeExceptionally(endpoint.closing());
        }
        if (call != null) {
            call.cancel();
        }
    }

    private boolean failedRecently(long now) {
        return failure != null && now - failedAt < MIN_INTERVAL.toNanos();
    }

    /** The request in progress, or a new one; guarded by lock. */
    private CompletableFuture<AccessToken> fetchingOrStart(long now) throws TokenFetchException {
        if (fetching != null) {
            return fetching;
        }
        if (failedRecently(now)) {
            throw failure.copy();
        }
        return start(now);
    }

    /** Starts a request to the endpoint; guarded by lock. */
    private CompletableFuture<AccessToken> start(long now) {
        CompletableFuture<AccessToken> future = new CompletableFuture<>();
        Call call = client.newCall(endpoint.request());
        call.timeout().timeout(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS);
        fetching = future;
        fetchCall = call;
        // OkHttp runs the callback on its dispatcher's threads, or on this one (still holding the lock, which is
        // re-entrant) when its executor refuses the call
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    TokenEndpoint.Grant grant = endpoint.read(response);
                    finish(future, AccessToken.of(grant.accessToken(), now, grant.expiresIn()), null);
                } catch (TokenFetchException e) {
                    finish(future, null, e);
                } catch (IOException e) {
                    finish(future, null, endpoint.unreachable(e, fetchTimeout));
                } catch (RuntimeException e) {
                    finish(future, null, new TokenFetchException("no access token for target " + target
                            + ": its answer could not be read (" + e.getClass().getSimpleName() + ")",
                            TokenFetch.INVALID_RESPONSE));
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                finish(future, null, endpoint.unreachable(e, fetchTimeout));
            }
        });
        return future;
    }

    private void finish(CompletableFuture<AccessToken> future, AccessToken token, TokenFetchException failed) {
        boolean wasClosed;
        synchronized (lock) {
            wasClosed = closed;
            if (fetching == future) {
                fetching = null;
                fetchCall = null;
            }
            if (!wasClosed) {
                if (token != null) {
                    current = token;
                    failure = null;
                } else {
                    failure = failed;
                    failedAt = nanoTime.getAsLong();
                }
            }
        }
        if (!wasClosed) {
            listener.fetched(target, token != null ? TokenFetch.SUCCESS : failed.result());
            if (token != null) {
                LOG.debug("Target {} has a new access token", target);
            } else {
                // at most one a second: a failed fetch is not repeated for MIN_INTERVAL
                LOG.warn("{}", failed.getMessage());
            }
        }
        if (token != null) {
            future.complete(token);
        } else {
            future.completeExceptionally(failed);
        }
    }
}
