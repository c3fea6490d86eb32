package dev.courier.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses: the system's resolver in production, a map of names in tests (which must
 * never ask the real DNS for a test name). Must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

    /** The system's resolver, {@link InetAddress#getAllByName}. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** @throws UnknownHostException when the name has no address */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
