package dev.courier.config;

import dev.courier.config.SettingSources.RawValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the named targets, {@code courier.targets.NAME.*}: groups their keys by NAME, checks each target's keys
 * together (a base URL, headers Courier does not manage, one way to authenticate, a client certificate with its key,
 * a call timeout within {@code courier.http.max-call-timeout}) and reads their secrets through {@link SecretReferences}.
 * A family of pattern keys with rules of their own, beside {@link SettingsLoader}'s keys of fixed name. Records a
 * problem for each key that cannot be used; not thread-safe (one load).
 */
final class TargetsReader {

    /** {@code courier.targets.NAME.KEY}: NAME, then KEY (one of {@link SettingKeys#TARGET_KEYS} or headers.HEADER). */
    private static final Pattern TARGET_KEY = Pattern.compile(
            Pattern.quote(SettingKeys.TARGET_BASE_URL_PREFIX) + "([A-Za-z0-9_-]+)\\.(.+)");
    private static final String HEADERS = "headers.";
    /** Headers a target may not set either: they belong to the connection, or would change where the call goes. */
    private static final java.util.Set<String> RESERVED_HEADERS = java.util.Set.of("host", "content-length",
            "transfer-encoding", "connection", "te", "upgrade", "keep-alive", "trailer", "idempotency-key",
            "content-type");

    private final Map<String, RawValue> raw;
    private final SecretReferences secrets;
    private final List<String> problems;

    /**
     * @param raw      every setting set, by key (those of targets among them)
     * @param problems where each unusable key is recorded
     */
    TargetsReader(Map<String, RawValue> raw, SecretReferences secrets, List<String> problems) {
        this.raw = raw;
        this.secrets = secrets;
        this.problems = problems;
    }

    /** Whether {@code key} is a key of a named target: {@code courier.targets.NAME.} and one of its keys. */
    static boolean isTargetKey(String key) {
        Matcher matcher = TARGET_KEY.matcher(key);
        if (!matcher.matches()) {
            return false;
        }
        String suffix = matcher.group(2);
        return SettingKeys.TARGET_KEYS.containsKey(suffix)
                || (suffix.startsWith(HEADERS) && ValueParsers.isHeaderName(suffix.substring(HEADERS.length())));
    }

    /** Every {@code courier.targets.NAME.*} key, grouped by NAME, checked and with its secrets read. */
    Map<String, TargetSettings> targets(HttpSettings http) {
        Map<String, Map<String, RawValue>> byName = new TreeMap<>();
        raw.forEach((key, value) -> {
            Matcher matcher = TARGET_KEY.matcher(key);
            if (matcher.matches() && isTargetKey(key)) {
                byName.computeIfAbsent(matcher.group(1), name -> new TreeMap<>()).put(matcher.group(2), value);
            }
        });
        Map<String, TargetSettings> targets = new HashMap<>();
        byName.forEach((name, keys) -> {
            TargetSettings target = new TargetReader(name, keys, http).read();
            if (target != null) {
                targets.put(name, target);
            }
        });
        return targets;
    }

    /** The full key of target {@code name}'s setting {@code suffix}: {@code courier.targets.NAME.SUFFIX}. */
    static String targetKey(String name, String suffix) {
        return SettingKeys.TARGET_BASE_URL_PREFIX + name + "." + suffix;
    }

    /** Target {@code name}'s setting {@code suffix} parsed from {@code keys}; null when unset or unusable (recorded). */
    @SuppressWarnings("unchecked")
    static <T> T targetValue(String name, Map<String, RawValue> keys, String suffix, List<String> problems) {
        RawValue value = keys.get(suffix);
        return value == null ? null
                : SettingsLoader.parse((SettingKey<T>) SettingKeys.TARGET_KEYS.get(suffix), targetKey(name, suffix),
                        value, problems);
    }

    /** Reads the keys of one named target; records a problem for each that cannot be used. */
    private final class TargetReader {

        private final String name;
        private final Map<String, RawValue> keys;
        private final HttpSettings http;

        TargetReader(String name, Map<String, RawValue> keys, HttpSettings http) {
            this.name = name;
            this.keys = keys;
            this.http = http;
        }

        private String key(String suffix) {
            return targetKey(name, suffix);
        }

        private <T> T get(String suffix) {
            return targetValue(name, keys, suffix, problems);
        }

        TargetSettings read() {
            URI baseUrl = get("base-url");
            if (baseUrl == null && !keys.containsKey("base-url")) {
                problems.add(key("base-url") + " is required: target " + name + " has other settings ("
                        + String.join(", ", keys.keySet()) + ") but no base URL");
            }
            Map<String, Secret> headers = headers();
            TargetAuth.Method method = get("auth");
            TargetAuth auth = method != null && method.scheme() == TargetAuth.Scheme.OAUTH2 ? null : auth(method);
            TargetCredentialsReader credentials = new TargetCredentialsReader(name, keys, secrets, problems);
            TargetOAuth2 oauth2 = credentials.oauth2(method);
            TargetSigning signing = credentials.signing();
            Path clientCert = get("client-cert-file");
            Path clientKey = get("client-key-file");
            if (keys.containsKey("client-cert-file") != keys.containsKey("client-key-file")) {
                problems.add(key("client-cert-file") + " and " + key("client-key-file") + " must be set together");
            }
            Duration callTimeout = get("call-timeout");
            if (callTimeout != null && callTimeout.compareTo(http.maxCallTimeout()) > 0) {
                problems.add(key("call-timeout") + " (" + Durations.format(callTimeout) + ") must not exceed "
                        + SettingKeys.HTTP_MAX_CALL_TIMEOUT.key() + " (" + Durations.format(http.maxCallTimeout()) + ")");
            }
            if (auth != null && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(auth.headerName()))) {
                problems.add(key("headers." + auth.headerName()) + " and " + key("auth")
                        + " both set header " + auth.headerName() + "; set it once");
            }
            if (oauth2 != null && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
                problems.add(key("headers.Authorization") + " and " + key("auth")
                        + "=oauth2 both set header Authorization; set it once");
            }
            if (signing != null) {
                headers.keySet().stream()
                        .filter(h -> TargetSettings.SIGNING_HEADERS.contains(h.toLowerCase(java.util.Locale.ROOT)))
                        .forEach(h -> problems.add(key("headers." + h) + " sets " + h + ", which " + key("signing")
                                + " adds to every call"));
            }
            if (baseUrl == null) {
                return null;
            }
            java.util.Set<String> routing = get("allow-routing-headers");
            return new TargetSettings(name, baseUrl, headers, auth, get("ca-file"), clientCert, clientKey,
                    get("connect-timeout"), callTimeout, get("max-attempts"), get("rate"),
                    routing == null ? java.util.Set.of() : routing, oauth2, signing);
        }

        private Map<String, Secret> headers() {
            Map<String, Secret> headers = new java.util.LinkedHashMap<>();
            keys.forEach((suffix, value) -> {
                if (!suffix.startsWith(HEADERS)) {
                    return;
                }
                String header = suffix.substring(HEADERS.length());
                if (RESERVED_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT))
                        || header.toLowerCase(java.util.Locale.ROOT).startsWith("proxy-")) {
                    problems.add(key(suffix) + " sets " + header + ", which Courier or the HTTP client manages");
                    return;
                }
                String text = value.text().trim();
                try {
                    headers.put(header, SecretReferences.isReference(text)
                            ? secrets.resolve(key(suffix) + " (from " + value.origin() + ")", text) : literal(text));
                } catch (IllegalArgumentException e) {
                    problems.add(key(suffix) + " (from " + value.origin() + ") " + e.getMessage());
                }
            });
            return headers;
        }

        private Secret literal(String text) {
            if (text.isEmpty() || !text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c <= 0x7e))) {
                throw new IllegalArgumentException("must be a non-empty value of printable ASCII, or a reference"
                        + " such as ${env:VAR}");
            }
            return new Secret(text);
        }

        private TargetAuth auth(TargetAuth.Method method) {
            RawValue reference = keys.get("auth-secret");
            if (method == null && reference == null) {
                return null;
            }
            if (reference == null) {
                problems.add(key("auth") + " needs " + key("auth-secret") + ": a reference such as ${env:VAR}");
                return null;
            }
            if (method == null && !keys.containsKey("auth")) {
                problems.add(key("auth-secret") + " needs " + key("auth") + " (bearer, basic or header:NAME)");
                return null;
            }
            Secret secret;
            try {
                secret = secrets.resolve(key("auth-secret") + " (from " + reference.origin() + ")", reference.text());
            } catch (IllegalArgumentException e) {
                problems.add(key("auth-secret") + " (from " + reference.origin() + ") " + e.getMessage());
                return null;
            }
            if (method == null) {
                return null;
            }
            if (method.scheme() == TargetAuth.Scheme.BASIC && secrets.readsAtLoad()
                    && secret.value().indexOf(':') < 0) {
                problems.add(key("auth-secret") + " must hold user:password for " + key("auth") + "=basic");
                return null;
            }
            if (method.scheme() == TargetAuth.Scheme.HEADER
                    && (RESERVED_HEADERS.contains(method.headerName().toLowerCase(java.util.Locale.ROOT))
                    || method.headerName().toLowerCase(java.util.Locale.ROOT).startsWith("proxy-"))) {
                problems.add(key("auth") + " names " + method.headerName() + ", which Courier or the HTTP client manages");
                return null;
            }
            return new TargetAuth(method.scheme(), method.headerName(), secret);
        }
    }
}
