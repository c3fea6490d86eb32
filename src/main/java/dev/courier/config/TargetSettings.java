package dev.courier.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param oauth2         where its access tokens come from ({@code auth=oauth2}), or null; then {@code auth} is null
 * @param signing        how its calls are signed ({@code signing=standard-webhooks}), or null for not at all
 */
public record TargetSettings(String name, URI baseUrl, Map<String, Secret> headers, TargetAuth auth, Path caFile,
        Path clientCertFile, Path clientKeyFile, Duration connectTimeout, Duration callTimeout, Integer maxAttempts,
        Double rate, Set<String> allowedRoutingHeaders, TargetOAuth2 oauth2, TargetSigning signing) {

    /** The headers a signed call carries (Standard Webhooks), lower-case as the specification writes them. */
    public static final List<String> SIGNING_HEADERS = List.of("webhook-id", "webhook-timestamp", "webhook-signature");

    public TargetSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        headers = Map.copyOf(headers);
        allowedRoutingHeaders = Set.copyOf(allowedRoutingHeaders);
        if (auth != null && oauth2 != null) {
            throw new IllegalArgumentException("target " + name + " has both a static auth and oauth2");
        }
    }

    /** A target with neither OAuth2 nor signing. */
    public TargetSettings(String name, URI baseUrl, Map<String, Secret> headers, TargetAuth auth, Path caFile,
            Path clientCertFile, Path clientKeyFile, Duration connectTimeout, Duration callTimeout, Integer maxAttempts,
            Double rate, Set<String> allowedRoutingHeaders) {
        this(name, baseUrl, headers, auth, caFile, clientCertFile, clientKeyFile, connectTimeout, callTimeout,
                maxAttempts, rate, allowedRoutingHeaders, null, null);
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

    /** This target with its tokens from {@code oauth2} (and no static auth), or with none when it is null. */
    public TargetSettings withOAuth2(TargetOAuth2 oauth2) {
        return new TargetSettings(name, baseUrl, headers, oauth2 == null ? auth : null, caFile, clientCertFile,
                clientKeyFile, connectTimeout, callTimeout, maxAttempts, rate, allowedRoutingHeaders, oauth2, signing);
    }

    /** This target with its calls signed as {@code signing} says, or unsigned when it is null. */
    public TargetSettings withSigning(TargetSigning signing) {
        return new TargetSettings(name, baseUrl, headers, auth, caFile, clientCertFile, clientKeyFile, connectTimeout,
                callTimeout, maxAttempts, rate, allowedRoutingHeaders, oauth2, signing);
    }

    /** The names of the headers Courier adds to this target's calls, ignoring case: events may not set these. */
    public Set<String> injectedHeaders() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(headers.keySet());
        if (auth != null) {
            names.add(auth.headerName());
        }
        if (oauth2 != null) {
            names.add("Authorization");
        }
        if (signing != null) {
            names.addAll(SIGNING_HEADERS);
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
        put(shown, "auth", oauth2);
        put(shown, "signing", signing);
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
