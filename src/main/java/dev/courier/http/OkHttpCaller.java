package dev.courier.http;

import static dev.courier.model.AttemptResult.Failure.Kind.INVALID;
import static dev.courier.model.AttemptResult.Failure.Kind.NOT_SENT;
import static dev.courier.model.AttemptResult.Failure.Kind.REFUSED_BY_POLICY;

import dev.courier.config.EgressSettings;
import dev.courier.config.HttpSettings;
import dev.courier.config.Settings;
import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Redactor;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An {@link HttpCaller} over OkHttp: pooled keep-alive connections, HTTP/2 where the server offers it, the configured
 * connect / read / write timeouts, a whole-attempt timeout per call, request and response bodies capped, no silent
 * retries, and the egress policy:
 *
 * <ol>
 *   <li>a named target's URLs (same origin as its base URL) go on the target's client with its credentials and TLS
 *       material, and skip the address and port policy: the operator wrote that address;
 *   <li>every other URL, the event's own or a redirect's, is checked by {@link EgressPolicy} before any connection
 *       (scheme, userinfo, IP literals in every spelling, host lists, port); its names resolve through
 *       {@link PolicyDns}, which drops refused addresses; and {@link ConnectedAddressCheck} checks the address each
 *       connection reached;
 *   <li>redirects, when followed, are followed here hop by hop, each hop checked as in 1 and 2, at most
 *       {@code courier.http.max-redirects}, and credentials are dropped when the origin changes ({@link Redirects}).
 * </ol>
 *
 * A refusal ends the attempt as {@code REFUSED_BY_POLICY}, naming the rule, with no connection to the refused address.
 *
 * <p>Each attempt runs synchronously on the calling thread. Thread-safe: the dispatcher's workers call
 * {@link #call} concurrently, and any thread may call {@link #close}.
 *
 * <p>Interrupts: OkHttp notices an interrupt while it waits for a connection, and the attempt then ends
 * at once; a thread blocked reading the socket does not notice it, and its attempt ends at its timeout
 * or on {@link #close}. Either way the interrupt is still set when {@code call} returns.
 */
public final class OkHttpCaller implements HttpCaller {

    private final OkHttpClient base;
    private final OkHttpClient free;
    private final Map<String, TargetRoute> targets;
    private final EgressPolicy policy;
    private final HttpSettings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RequestFactory requests;
    private final ResponseReader responses;
    private final FailureClassifier failures;
    private final Redactor redactor = Redactor.defaults();
    /** The calls in progress, so that {@link #close} reaches each one; at most one per calling thread. */
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private OkHttpCaller(Builder builder) {
        this.settings = builder.http;
        this.clock = builder.clock;
        this.nanoTime = builder.nanoTime;
        HostResolver resolver = builder.resolver;
        Dns dns = resolver::resolve;
        AddressPolicy addresses = new AddressPolicy(builder.egress.allowCidrs(), builder.ownAddresses);
        this.policy = new EgressPolicy(builder.egress, addresses);
        OkHttpClient built = OkHttpClients.build(settings, builder.concurrency, dns);
        this.base = builder.socketFactory == null ? built : built.newBuilder().socketFactory(builder.socketFactory).build();
        this.free = OkHttpClients.forFreeUrls(base, new PolicyDns(resolver, addresses),
                new ConnectedAddressCheck(addresses));
        Map<String, TargetRoute> routes = new HashMap<>();
        for (TargetSettings target : builder.targets) {
            routes.put(target.name(), TargetRoute.create(target, OkHttpClients.forTarget(base, dns, target), settings,
                    clock, nanoTime, builder.tokenListener));
        }
        this.targets = Map.copyOf(routes);
        this.requests = new RequestFactory(settings.maxRequestBytes(), settings.idempotencyKeyFromId());
        this.responses = new ResponseReader(settings.maxResponseBytes());
        this.failures = new FailureClassifier(settings);
    }

    /**
     * The caller of the engine: the HTTP, egress and target settings, the system's resolver and monotonic clock,
     * {@code courier.workers} calls at once.
     *
     * @param clock stamps when each attempt starts
     * @throws IllegalArgumentException when a target's TLS files cannot be used, naming the key
     */
    public static OkHttpCaller create(Settings settings, Clock clock) {
        return builder(settings.http()).egress(settings.egress()).targets(settings.targets().values()).clock(clock)
                .concurrency(settings.dispatch().workers()).build();
    }

    /** A builder with the default egress policy (no exceptions), no targets, the system's resolver and clocks. */
    public static Builder builder(HttpSettings http) {
        return new Builder(http);
    }

    /** Assembles a caller; each setter's default is stated. Not thread-safe; build once. */
    public static final class Builder {

        private final HttpSettings http;
        private EgressSettings egress = EgressSettings.defaults();
        private Collection<TargetSettings> targets = List.of();
        private HostResolver resolver = HostResolver.SYSTEM;
        private Supplier<Set<InetAddress>> ownAddresses = AddressPolicy::interfaceAddresses;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private int concurrency = 1;
        private javax.net.SocketFactory socketFactory;
        private TokenListener tokenListener = TokenListener.NONE;

        private Builder(HttpSettings http) {
            this.http = http;
        }

        /** Where free URLs may lead; default {@link EgressSettings#defaults()}. */
        public Builder egress(EgressSettings egress) {
            this.egress = egress;
            return this;
        }

        /** The named targets; default none. */
        public Builder targets(Collection<TargetSettings> targets) {
            this.targets = List.copyOf(targets);
            return this;
        }

        /** Resolves host names; default the system's resolver. Tests map their names here, never to the real DNS. */
        public Builder resolver(HostResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** This machine's addresses, refused to free URLs; default those of its network interfaces at build time. */
        Builder ownAddresses(Supplier<Set<InetAddress>> ownAddresses) {
            this.ownAddresses = ownAddresses;
            return this;
        }

        /** Stamps when each attempt starts; default the system's UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Measures each attempt's latency and the lifetimes of OAuth2 tokens in nanoseconds (only differences matter);
         * default {@code System::nanoTime}.
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /** Hears about the OAuth2 targets' tokens (metrics); default {@link TokenListener#NONE}. */
        public Builder tokenListener(TokenListener tokenListener) {
            this.tokenListener = tokenListener;
            return this;
        }

        /** The most calls made at once (the worker count), at least 1; caps the idle connections kept. Default 1. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Opens the plain sockets; default the system's. Tests put a guard here that refuses off-machine addresses. */
        Builder socketFactory(javax.net.SocketFactory socketFactory) {
            this.socketFactory = socketFactory;
            return this;
        }

        /** @throws IllegalArgumentException when a target's TLS files cannot be used, naming the key */
        public OkHttpCaller build() {
            return new OkHttpCaller(this);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The attempt's timeout is the event's own, cut to {@code courier.http.max-call-timeout}, or the target's
     * call-timeout, or {@code courier.http.call-timeout}; it covers connecting, sending, waiting, reading the body
     * and every redirect hop. A body over {@code courier.http.max-request-bytes} is not sent ({@code INVALID}). A
     * destination the egress policy refuses is not connected to ({@code REFUSED_BY_POLICY}). After {@link #close}
     * every call fails at once ({@code NOT_SENT}).
     */
    @Override
    public AttemptResult call(DispatchRequest request, int attempt) {
        TargetRoute route = request.target() == null ? null : targets.get(request.target());
        Attempt current = new Attempt(request,
                settings.attemptTimeout(request.timeout(), route == null ? null : route.callTimeout()),
                clock.instant(), nanoTime);
        if (closed) {
            return current.failure(NOT_SENT, "not sent: the HTTP caller is closed");
        }
        String invalid = requests.refusal(request);
        if (invalid != null) {
            return current.failure(INVALID, invalid);
        }
        String text = request.url().toString();
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            String refusal = EgressPolicy.refusalOfUnparsable(text);
            return refusal != null ? current.failure(REFUSED_BY_POLICY, refusal)
                    : current.failure(INVALID, "cannot make the request: the HTTP client cannot read the URL "
                            + (request.target() == null ? redactor.url(text) : "of target " + request.target()));
        }
        if (route != null && route.covers(url)) {
            String outside = route.outsideBasePath(url);
            if (outside != null) {
                return current.failure(INVALID, "cannot make the request: " + outside);
            }
        }
        Request first;
        try {
            Request.Builder builder = requests.create(request, url, current.trace());
            if (route != null && route.covers(url)) {
                route.addCredentials(builder, request);
            }
            first = builder.build();
        } catch (IllegalArgumentException e) {
            return current.failure(INVALID, "cannot make the request: " + e.getMessage());
        }
        return execute(first, current, route);
    }

    /** Makes the hops of one attempt: the first request, then each redirect followed. */
    private AttemptResult execute(Request first, Attempt attempt, TargetRoute route) {
        Request request = first;
        for (int hop = 0; ; hop++) {
            boolean trusted = route != null && route.covers(request.url());
            if (!trusted) {
                String refusal = policy.refusal(request.url(), attempt.request().target());
                if (refusal != null) {
                    return attempt.failure(REFUSED_BY_POLICY, hop == 0 ? refusal
                            : "redirect " + hop + " to " + redactor.url(request.url().toString()) + ": " + refusal);
                }
            }
            Call call = (trusted ? route.client() : free).newCall(request);
            // At least 1 ns: okio reads a timeout of 0 as none.
            long timeout = hop == 0 ? attempt.timeout().toNanos() : attempt.remainingNanos();
            call.timeout().timeout(Math.max(1, timeout), TimeUnit.NANOSECONDS);
            inFlight.add(call);
            try {
                if (closed) {
                    call.cancel(); // close() ran before this call was registered
                }
                Hop next = hop(call, attempt, hop);
                if (next.result() != null) {
                    return next.result();
                }
                request = Redirects.follow(request, next.status(), next.location(),
                        route == null ? Set.of() : route.injectedHeaders());
                if (route != null && route.covers(next.location())) {
                    Request.Builder builder = request.newBuilder();
                    route.addCredentials(builder, attempt.request());
                    request = builder.build();
                }
            } finally {
                inFlight.remove(call);
            }
        }
    }

    /** How one hop ended: with the attempt's result, or with a redirect to follow. */
    private record Hop(AttemptResult result, int status, HttpUrl location) {
    }

    private Hop hop(Call call, Attempt attempt, int hop) {
        try (Response response = call.execute()) {
            HttpUrl location = settings.followRedirects() && hop < settings.maxRedirects()
                    ? Redirects.location(response) : null;
            if (location == null) {
                return new Hop(attempt.response(responses.read(response)), 0, null);
            }
            return new Hop(null, response.code(), location);
        } catch (IOException e) {
            return new Hop(failures.classify(e, attempt, call.isCanceled(), closed), 0, null);
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
            return new Hop(failures.interrupted(attempt), 0, null);
        }
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
        targets.values().forEach(TargetRoute::close);
        base.connectionPool().evictAll();
        base.dispatcher().executorService().shutdown();
    }
}
