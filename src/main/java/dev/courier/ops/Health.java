package dev.courier.ops;

import java.util.Map;

/**
 * Courier's two health probes, each a set of named checks: <b>live</b> (the process can make progress; an
 * orchestrator restarts it when not) and <b>ready</b> (it is doing its work: in the group, able to publish, the
 * registry reachable). A probe is up when every check is; its JSON answer names each check, and why a check that is
 * down is down. Until {@link #started()}, ready is down ("starting") and live is up. Thread-safe.
 */
public final class Health {

    /** One condition a probe depends on; called on an admin server thread, so it must answer at once. */
    @FunctionalInterface
    public interface Check {

        Status check();
    }

    /**
     * What a check found.
     *
     * @param healthy whether the condition holds
     * @param reason  why it does not (or a note when it does), for operators; null for none
     */
    public record Status(boolean healthy, String reason) {

        public static Status up() {
            return new Status(true, null);
        }

        public static Status down(String reason) {
            return new Status(false, reason);
        }
    }

    private final Map<String, Check> live = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, Check> ready = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile boolean started;

    /** Adds (or replaces) a check of the live probe. */
    public Health live(String name, Check check) {
        live.put(name, check);
        return this;
    }

    /** Adds (or replaces) a check of the ready probe. */
    public Health ready(String name, Check check) {
        ready.put(name, check);
        return this;
    }

    /** The engine is up and every check is registered: ready now says what its checks find. */
    public void started() {
        started = true;
    }

    /** The live probe's answer: 200 when every check is up, 503 otherwise, with a JSON body. */
    public AdminResponse liveness() {
        return report(live, null);
    }

    /** The ready probe's answer: 200 when started and every check is up, 503 otherwise, with a JSON body. */
    public AdminResponse readiness() {
        return report(ready, started ? null : Status.down("starting: the engine is not running yet"));
    }

    /** Registers {@code /health/live} and {@code /health/ready} on {@code server}, open to anyone. */
    public void serveOn(AdminServer server) {
        server.route("/health/live", AdminServer.Access.OPEN, path -> liveness());
        server.route("/health/ready", AdminServer.Access.OPEN, path -> readiness());
    }

    private static AdminResponse report(Map<String, Check> checks, Status starting) {
        Map<String, Status> found = new java.util.LinkedHashMap<>();
        if (starting != null) {
            found.put("engine", starting);
        }
        checks.forEach((name, check) -> found.put(name, run(check)));
        boolean up = found.values().stream().allMatch(Status::healthy);
        StringBuilder json = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":{");
        String separator = "";
        for (Map.Entry<String, Status> entry : found.entrySet()) {
            json.append(separator).append(Json.string(entry.getKey())).append(":{\"status\":\"")
                    .append(entry.getValue().healthy() ? "UP" : "DOWN").append('"');
            if (entry.getValue().reason() != null) {
                json.append(",\"reason\":").append(Json.string(entry.getValue().reason()));
            }
            json.append('}');
            separator = ",";
        }
        json.append("}}");
        return AdminResponse.json(up ? 200 : 503, json.toString());
    }

    private static Status run(Check check) {
        try {
            return check.check();
        } catch (RuntimeException e) {
            return Status.down("the check failed: " + e);
        }
    }
}
