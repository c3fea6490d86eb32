package dev.courier.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How Courier shows what it does: the admin HTTP server (metrics and health), the metrics' label bounds and the
 * log lines.
 *
 * @param adminBind       address the admin server listens on; {@code 0.0.0.0} for every interface
 * @param adminPort       port of the admin server; 0 for a free one
 * @param adminToken      bearer token {@code /metrics} (and every endpoint but health) requires, or null for none
 * @param allowAnonymous  whether the admin server may listen beyond loopback without a token
 * @param metricsMaxHosts distinct hosts (and rate-limit keys) named in metric labels; the rest count as {@code other}
 * @param logFormat       how {@code courier run} writes its log lines
 * @param summaryInterval how often {@code courier run} logs a summary line; zero for never
 */
public record OpsSettings(String adminBind, int adminPort, Secret adminToken, boolean allowAnonymous,
        int metricsMaxHosts, LogFormat logFormat, Duration summaryInterval) {

    public OpsSettings {
        Objects.requireNonNull(adminBind, "adminBind");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(summaryInterval, "summaryInterval");
    }

    /** These settings with the admin server on {@code bind}, for commands whose default differs. */
    public OpsSettings withAdminBind(String bind) {
        return new OpsSettings(bind, adminPort, adminToken, allowAnonymous, metricsMaxHosts, logFormat,
                summaryInterval);
    }

    /**
     * Why {@code courier run} must not start with these settings: the admin server would listen beyond this machine
     * with no token, so anyone who reaches the port reads {@code /metrics} and {@code /requests/{id}}; null when it
     * listens on loopback, has a token, or {@code courier.admin.allow-anonymous} is true.
     */
    public String anonymousExposure() {
        if (adminToken != null || allowAnonymous || isLoopback(adminBind)) {
            return null;
        }
        return "courier.admin.bind=" + adminBind + " opens the admin server (/metrics, /requests/{id}) beyond this"
                + " machine, and courier.admin.token is not set: set a token, bind 127.0.0.1, or set"
                + " courier.admin.allow-anonymous=true where a firewall or NetworkPolicy decides who reaches the port";
    }

    private static boolean isLoopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress(); // an IP literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
