package dev.courier.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named target, {@code courier.targets.NAME.*}: an API the operator configured, which events reach by name and
 * path. Its base URL is trusted (the address policy does not apply to it); its credentials and TLS material come from
 * the environment or files, never from events. Immutable; {@link #toString()} hides header values and the secret.
 *
 * @param name           the target's name in events
 * @param baseUrl        the URL that an event's path is appended to
 * @param headers        headers added to every call, by name; events may not set them
 * @param auth           the credential added to every call, or null for none
 * @param caFile         PEM file of the CAs the target's certificate must chain to (instead of the system's), or null
 * @param clientCertFile PEM file of the client certificate (and its chain) for mutual TLS, or null
 * @param clientKeyFile  PEM file of the client certificate's PKCS#8 private key, or null
 * @param connectTimeout time to connect to this target, or null for {@code courier.http.connect-timeout}
 * @param callTimeout    a whole attempt when the event sets no timeoutMs, or null for {@code courier.http.call-timeout}
 * @param maxAttempts    attempts per event, or null for {@code courier.retry.max-attempts}
 * @param rate           attempts per second to this target, or null for the per-key rate of the event's key
 * @param allowedRoutingHeaders routing headers ({@code X-Forwarded-For}, ...) its events may set, lower-cased
 */
public record TargetSettings(String name, URI baseUrl, Map<String, Secret> headers, TargetAuth auth, Path caFile,
        Path clientCertFile, Path clientKeyFile, Duration connectTimeout, Duration callTimeout, Integer maxAttempts,
        Double rate, Set<String> allowedRoutingHeaders) {

    public TargetSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        headers = Map.copyOf(headers);
        allowedRoutingHeaders = Set.copyOf(allowedRoutingHeaders);
    }

    /** A target whose events may set no routing header. */
    public TargetSettings(String name, URI baseUrl, Map<String, Secret> headers, TargetAuth auth, Path caFile,
            Path clientCertFile, Path clientKeyFile, Duration connectTimeout, Duration callTimeout, Integer maxAttempts,
            Double rate) {
        this(name, baseUrl, headers, auth, caFile, clientCertFile, clientKeyFile, connectTimeout, callTimeout,
                maxAttempts, rate, Set.of());
    }

    /** A target with a base URL and nothing else. */
    public static TargetSettings of(String name, URI baseUrl) {
        return new TargetSettings(name, baseUrl, Map.of(), null, null, null, null, null, null, null, null);
    }

    /** The names of the headers Courier adds to this target's calls, lower-cased: events may not set these. */
    public Set<String> injectedHeaders() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(headers.keySet());
        if (auth != null) {
            names.add(auth.headerName());
        }
        return names;
    }

    /** Whether calls to this target need a TLS configuration of their own. */
    public boolean hasOwnTls() {
        return caFile != null || clientCertFile != null;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("baseUrl", baseUrl.toString());
        if (!headers.isEmpty()) {
            shown.put("headers", new TreeSet<>(headers.keySet()) + " (values hidden)");
        }
        if (auth != null) {
            shown.put("auth", auth.toString());
        }
        put(shown, "caFile", caFile);
        put(shown, "clientCertFile", clientCertFile);
        put(shown, "clientKeyFile", clientKeyFile);
        put(shown, "connectTimeout", connectTimeout == null ? null : Durations.format(connectTimeout));
        put(shown, "callTimeout", callTimeout == null ? null : Durations.format(callTimeout));
        put(shown, "maxAttempts", maxAttempts);
        put(shown, "rate", rate);
        put(shown, "allowRoutingHeaders", allowedRoutingHeaders.isEmpty() ? null : new TreeSet<>(allowedRoutingHeaders));
        return "TargetSettings[" + name + " " + shown + "]";
    }

    private static void put(Map<String, String> shown, String key, Object value) {
        if (value != null) {
            shown.put(key, value.toString());
        }
    }
}
