package dev.courier.status;

import dev.courier.config.CidrSet;
import dev.courier.config.Secret;
import dev.courier.ops.AdminResponse;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards {@code GET /requests/{id}} to the instance that holds the id, with this instance's admin token (the
 * instances of a group share theirs). Kafka Streams' metadata names that instance as it advertised itself, and any
 * principal that can join the status group can advertise an address of its own: so the forward goes only to an
 * address in {@code courier.status.peers} (a name is resolved here, and the address judged is the one called), never
 * through a proxy, reads at most {@link #MAX_BODY_BYTES} of the answer, and takes at most {@link #TIMEOUT} in all.
 * Anything else answers 502 without sending the token. Thread-safe.
 */
final class HttpForwarder implements StatusEndpoint.Forwarder {

    /** The longest a forwarded call takes, connecting and reading the whole answer included. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The largest answer read; a request's status is well under 4 KiB. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpForwarder.class);

    /** Resolves the host an instance advertised; the system's resolver outside tests. */
    @FunctionalInterface
    interface Resolver {

        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    private final Secret token;
    private final CidrSet peers;
    private final Resolver resolver;

    /**
     * @param token    the admin token to send, or null for none
     * @param peers    the addresses forwards may go to ({@code courier.status.peers}, or {@link #defaultPeers})
     * @param resolver resolves an advertised host that is a name
     */
    HttpForwarder(Secret token, CidrSet peers, Resolver resolver) {
        this.token = token;
        this.peers = peers;
        this.resolver = resolver;
    }

    /** A forwarder over the system's resolver. */
    HttpForwarder(Secret token, CidrSet peers) {
        this(token, peers, host -> List.of(InetAddress.getAllByName(host)));
    }

    /**
     * {@code courier.status.peers} when it is not set: the network of the admin bind address ({@code bind}), as the
     * interface that holds it says (127.0.0.0/8 for 127.0.0.1); for a wildcard bind (0.0.0.0, ::), the networks of
     * all this machine's interfaces.
     */
    static CidrSet defaultPeers(String bind) {
        List<String> blocks = new ArrayList<>();
        try {
            InetAddress address = InetAddress.getByName(bind); // an IP literal: no lookup
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress held : network.getInterfaceAddresses()) {
                    if (address.isAnyLocalAddress() || held.getAddress().equals(address)) {
                        blocks.add(block(held.getAddress(), held.getNetworkPrefixLength()));
                    }
                }
            }
            if (blocks.isEmpty() && !address.isAnyLocalAddress()) {
                blocks.add(block(address, address instanceof Inet6Address ? 128 : 32));
            }
        } catch (UnknownHostException | SocketException e) {
            LOG.warn("Cannot tell the network of the admin bind address {} ({}); status queries are forwarded to"
                    + " none until courier.status.peers is set", bind, e.getMessage());
        }
        return CidrSet.parse(String.join(",", blocks));
    }

    private static String block(InetAddress address, int prefix) {
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        return (zone < 0 ? host : host.substring(0, zone)) + "/" + prefix;
    }

    @Override
    public AdminResponse forward(String host, int port, String path) {
        String instance = host + ":" + port;
        InetAddress peer;
        try {
            peer = peer(host);
        } catch (UnknownHostException e) {
            return AdminResponse.error(502, "the instance " + instance + " that holds this id cannot be resolved");
        }
        if (peer == null) {
            LOG.warn("Not forwarding a status query to {}: it is outside courier.status.peers ({})", instance, peers);
            return AdminResponse.error(502, "the instance " + instance + " that holds this id is outside"
                    + " courier.status.peers (" + peers + "); the query was not forwarded");
        }
        URI uri;
        try {
            uri = new URI("http", null, peer.getHostAddress(), port, path, null, null);
        } catch (URISyntaxException e) {
            return AdminResponse.error(502, "cannot address the instance " + instance);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token.value());
        }
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request.build(),
                info -> new CappedBody(MAX_BODY_BYTES));
        try {
            HttpResponse<byte[]> response = call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String type = response.headers().firstValue("Content-Type").orElse("application/json");
            return new AdminResponse(response.statusCode(), type, response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return AdminResponse.error(502, "the instance " + instance + " that holds this id did not answer within "
                    + TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            return AdminResponse.error(502, "the instance " + instance + " that holds this id did not answer: "
                    + (e.getCause() instanceof CappedBody.TooLarge ? e.getCause().getMessage()
                    : e.getCause().getClass().getSimpleName()));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return AdminResponse.error(503, "interrupted");
        }
    }

    /** The first address of {@code host} (an IP address, or a name resolved) in the peers, or null for none. */
    private InetAddress peer(String host) throws UnknownHostException {
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        for (InetAddress address : literal ? List.of(InetAddress.getByName(host)) : resolver.resolve(host)) {
            if (peers.contains(address)) {
                return address;
            }
        }
        return null;
    }
}
