package dev.courier.config;

import java.util.Objects;

/**
 * Where free URLs (those an event writes itself, as opposed to a named target's base URL) may lead. The address
 * policy that refuses private, loopback, link-local, metadata and other special addresses is always on; these
 * settings open explicit exceptions to it and narrow it further.
 *
 * @param allowCidrs    address blocks let through despite the deny set ({@code courier.egress.allow-cidrs})
 * @param allowedPorts  ports free URLs may use ({@code courier.egress.allowed-ports}, default 80 and 443)
 * @param allowHosts    when not empty, the only hosts free URLs may name ({@code courier.egress.allow-hosts})
 * @param denyHosts     hosts free URLs may not name ({@code courier.egress.deny-hosts})
 * @param requireTarget when true, only events that name a configured target are called
 * @param httpsOnly     when true, free URLs must use https
 */
public record EgressSettings(CidrSet allowCidrs, PortSet allowedPorts, HostPatterns allowHosts, HostPatterns denyHosts,
        boolean requireTarget, boolean httpsOnly) {

    public EgressSettings {
        Objects.requireNonNull(allowCidrs, "allowCidrs");
        Objects.requireNonNull(allowedPorts, "allowedPorts");
        Objects.requireNonNull(allowHosts, "allowHosts");
        Objects.requireNonNull(denyHosts, "denyHosts");
    }

    /** The defaults: no exceptions, ports 80 and 443, any host, free URLs allowed over http and https. */
    public static EgressSettings defaults() {
        return new EgressSettings(CidrSet.empty(), PortSet.parse("80,443"), HostPatterns.empty(), HostPatterns.empty(),
                false, false);
    }
}
