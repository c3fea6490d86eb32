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
 * @param metricsMaxHosts distinct hosts (and rate-limit keys) named in metric labels; the rest count as {@code other}
 * @param logFormat       how {@code courier run} writes its log lines
 * @param summaryInterval how often {@code courier run} logs a summary line; zero for never
 */
public record OpsSettings(String adminBind, int adminPort, Secret adminToken, int metricsMaxHosts,
        LogFormat logFormat, Duration summaryInterval) {

    public OpsSettings {
        Objects.requireNonNull(adminBind, "adminBind");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(summaryInterval, "summaryInterval");
    }

    /** These settings with the admin server on {@code bind}, for commands whose default differs. */
    public OpsSettings withAdminBind(String bind) {
        return new OpsSettings(bind, adminPort, adminToken, metricsMaxHosts, logFormat, summaryInterval);
    }
}
