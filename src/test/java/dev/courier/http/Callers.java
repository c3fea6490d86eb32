package dev.courier.http;

import dev.courier.config.CidrSet;
import dev.courier.config.EgressSettings;
import dev.courier.config.HostPatterns;
import dev.courier.config.HttpSettings;
import dev.courier.config.PortSet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Callers for tests whose servers listen on 127.0.0.1: the egress policy is on, with the explicit exception the
 * sandbox opens (127.0.0.1/32, every port). Names resolve through a fixed map, never the real DNS: {@code localhost}
 * is 127.0.0.1 and every other name is unknown.
 */
final class Callers {

    static final EgressSettings LOOPBACK_ALLOWED = new EgressSettings(CidrSet.parse("127.0.0.1/32"),
            PortSet.parse("1-65535"), HostPatterns.empty(), HostPatterns.empty(), false, false);

    static final HostResolver NO_DNS = host -> {
        if (host.equals("localhost")) {
            return List.of(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        }
        throw new UnknownHostException(host);
    };

    private Callers() {
    }

    static OkHttpCaller onLoopback(HttpSettings settings, Clock clock, int concurrency) {
        return OkHttpCaller.builder(settings).egress(LOOPBACK_ALLOWED).resolver(NO_DNS).clock(clock)
                .concurrency(concurrency).build();
    }

    static OkHttpCaller onLoopback(HttpSettings settings, Clock clock, LongSupplier nanoTime, int concurrency) {
        return OkHttpCaller.builder(settings).egress(LOOPBACK_ALLOWED).resolver(NO_DNS).clock(clock).nanoTime(nanoTime)
                .concurrency(concurrency).build();
    }
}
