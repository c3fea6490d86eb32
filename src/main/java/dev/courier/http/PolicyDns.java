package dev.courier.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;

/**
 * The {@code Dns} of free URLs: resolves a name, then removes every address the {@link AddressPolicy} refuses. OkHttp
 * connects only to addresses its {@code Dns} returned, so an address removed here is never connected to, however the
 * name resolves next time (DNS rebinding). When no address is left the lookup fails with
 * {@link EgressRefusedException} and no connection is opened. Thread-safe.
 */
final class PolicyDns implements Dns {

    private final HostResolver resolver;
    private final AddressPolicy policy;

    PolicyDns(HostResolver resolver, AddressPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> resolved = resolver.resolve(hostname);
        List<InetAddress> allowed = new ArrayList<>(resolved.size());
        String firstRefusal = null;
        for (InetAddress address : resolved) {
            String refusal = policy.refusal(address);
            if (refusal == null) {
                allowed.add(address);
            } else if (firstRefusal == null) {
                firstRefusal = refusal;
            }
        }
        if (allowed.isEmpty()) {
            if (firstRefusal == null) {
                throw new UnknownHostException(hostname + " has no address");
            }
            throw new EgressRefusedException(EgressPolicy.addressRule(hostname + " resolves to " + firstRefusal
                    + (resolved.size() > 1 ? " (and every other address it resolves to is refused too)" : "")));
        }
        return allowed;
    }
}
