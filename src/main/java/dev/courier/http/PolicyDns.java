package dev.courier.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Dns} of free URLs: resolves a name, then removes every address the {@link AddressPolicy} refuses. OkHttp
 * connects only to addresses its {@code Dns} returned, so an address removed here is never connected to, however the
 * name resolves next time (DNS rebinding). When no address is left the lookup fails with
 * {@link EgressRefusedException} and no connection is opened. Thread-safe.
 *
 * <p>The refusal does not say which addresses the name has: it ends in a dead letter that whoever reads the topic
 * sees, and "X resolves to 10.1.2.3" would answer DNS questions about the internal network for anyone who can
 * publish an event. The addresses and the rule each broke are logged at DEBUG.
 */
final class PolicyDns implements Dns {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyDns.class);

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
        List<String> refusals = null;
        for (InetAddress address : resolved) {
            String refusal = policy.vetted(address) ? null : policy.refusal(address);
            if (refusal == null) {
                allowed.add(address);
            } else {
                if (refusals == null) {
                    refusals = new ArrayList<>(resolved.size());
                }
                refusals.add(refusal);
            }
        }
        if (refusals != null && LOG.isDebugEnabled()) {
            LOG.debug("The egress policy removed addresses of {}: {}", hostname, String.join("; ", refusals));
        }
        if (allowed.isEmpty()) {
            if (refusals == null) {
                throw new UnknownHostException(hostname + " has no address");
            }
            boolean several = refusals.size() > 1;
            throw new EgressRefusedException("the address policy: " + hostname + " resolves only to addresses in the"
                    + " deny set" + (several ? " (" + refusals.size() + " of them)" : "")
                    + ", and courier.egress.allow-cidrs does not allow " + (several ? "them" : "it"));
        }
        return allowed;
    }
}
