package dev.courier.config;

import dev.courier.config.SettingSources.RawValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads, checks and types the settings from their sources. Every problem is collected before
 * failing, so one run shows all of them; an unknown {@code courier.*} key is refused with the nearest
 * known key suggested.
 */
public final class SettingsLoader {

    private static final Pattern TARGET_ANY = Pattern.compile(
            Pattern.quote(SettingKeys.TARGET_BASE_URL_PREFIX) + "([^.]+)\\..*");

    private final Map<String, RawValue> raw;
    private final SecretReferences secrets;
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader(SettingSources sources, boolean readSecrets) {
        this.raw = sources.collect(problems);
        this.secrets = new SecretReferences(sources.environment(), readSecrets);
    }

    /**
     * The settings with every secret they refer to read ({@code courier run}, which uses them).
     *
     * @throws SettingsException naming every key whose value cannot be used (a secret that cannot be read
     *                           included), and every unknown key
     */
    public static Settings load(SettingSources sources) {
        return new SettingsLoader(sources, true).settings();
    }

    /**
     * The settings for a command that uses no secret, or few: each secret they refer to is read at its first use
     * ({@link Secret#value()}), so one that cannot be read stops only a command that uses it. The references' form is
     * checked all the same.
     *
     * @throws SettingsException naming every key whose value cannot be used, and every unknown key
     */
    public static Settings loadLeavingSecretsUnread(SettingSources sources) {
        return new SettingsLoader(sources, false).settings();
    }

    private Settings settings() {
        refuseUnknownKeys();
        DispatchSettings dispatch = dispatch();
        HttpSettings http = http(dispatch.workers());
        Map<String, TargetSettings> targets = new TargetsReader(raw, secrets, problems).targets(http);
        Settings settings = new Settings(kafka(), registry(), topics(), value(SettingKeys.GROUP_ID),
                orDefault(SettingKeys.CONNECT_TIMEOUT), targets, dispatch, http, retry(), rate(targets),
                new DeliverySettings(orDefault(SettingKeys.DELIVERY_GUARANTEE), value(SettingKeys.TRANSACTIONAL_ID)),
                egress(), orDefault(SettingKeys.REDACT_QUERY_PARAMS), ops(), status(), circuit(),
                orDefault(SettingKeys.DEAD_LETTERS_KEEP_RAW_VALUE));
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return settings;
    }

    private void refuseUnknownKeys() {
        Set<String> known = new LinkedHashSet<>();
        SettingKeys.ALL.forEach(key -> known.add(key.key()));
        raw.forEach((key, value) -> {
            if (key.startsWith("kafka.") || known.contains(key) || TargetsReader.isTargetKey(key)) {
                return;
            }
            Set<String> candidates = new LinkedHashSet<>(known);
            Matcher target = TARGET_ANY.matcher(key);
            if (target.matches()) {
                SettingKeys.TARGET_KEYS.keySet().forEach(suffix ->
                        candidates.add(SettingKeys.TARGET_BASE_URL_PREFIX + target.group(1) + "." + suffix));
            }
            String hint = Suggestions.nearest(key, candidates)
                    .map(s -> "; did you mean " + s + "?")
                    .orElse(key.startsWith("courier.")
                            ? "; docs/configuration.md lists every setting"
                            : "; Kafka client settings take the prefix kafka. (kafka." + key + ")");
            problems.add("unknown setting " + key + " (from " + value.origin() + ")" + hint);
        });
    }

    private KafkaSettings kafka() {
        Map<String, String> client = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                client.put(key.substring("kafka.".length()), value.text().trim());
            }
        });
        client.put("bootstrap.servers", value(SettingKeys.KAFKA_BOOTSTRAP_SERVERS));
        return new KafkaSettings(client);
    }

    private RegistrySettings registry() {
        String username = value(SettingKeys.REGISTRY_USERNAME);
        String password = value(SettingKeys.REGISTRY_PASSWORD);
        RegistrySettings.BasicAuth auth = null;
        if ((username == null) != (password == null)) {
            problems.add(SettingKeys.REGISTRY_USERNAME.key() + " and " + SettingKeys.REGISTRY_PASSWORD.key()
                    + " must be set together");
        } else if (username != null) {
            auth = new RegistrySettings.BasicAuth(username, new Secret(password));
        }
        URI url = value(SettingKeys.REGISTRY_URL);
        return new RegistrySettings(
                url == null ? URI.create(SettingKeys.REGISTRY_URL.defaultText()) : url,
                auth,
                orDefault(SettingKeys.REGISTRY_TIMEOUT),
                orDefault(SettingKeys.REGISTRY_CACHE_SIZE),
                orDefault(SettingKeys.REGISTRY_AUTO_REGISTER));
    }

    private TopicSettings topics() {
        return new TopicSettings(
                value(SettingKeys.TOPIC_REQUESTS),
                value(SettingKeys.TOPIC_RESULTS),
                value(SettingKeys.TOPIC_DEAD_LETTERS),
                value(SettingKeys.TOPIC_STATUS),
                orDefault(SettingKeys.TOPIC_PARTITIONS),
                value(SettingKeys.TOPIC_REPLICATION_FACTOR));
    }

    private DispatchSettings dispatch() {
        int maxInFlight = orDefault(SettingKeys.MAX_IN_FLIGHT);
        Integer perKey = value(SettingKeys.MAX_IN_FLIGHT_PER_KEY);
        if (perKey != null && perKey > maxInFlight) {
            problems.add(SettingKeys.MAX_IN_FLIGHT_PER_KEY.key() + " (" + perKey + ") must not exceed "
                    + SettingKeys.MAX_IN_FLIGHT.key() + " (" + maxInFlight + ")");
        }
        return new DispatchSettings(
                orDefault(SettingKeys.WORKERS),
                maxInFlight,
                orDefault(SettingKeys.ORDERING),
                orDefault(SettingKeys.COMMIT_INTERVAL),
                orDefault(SettingKeys.COMMIT_TIMEOUT),
                orDefault(SettingKeys.DRAIN_TIMEOUT),
                perKey == null ? DispatchSettings.defaultPerKey(maxInFlight) : perKey);
    }

    private CircuitSettings circuit() {
        return new CircuitSettings(
                orDefault(SettingKeys.CIRCUIT_WINDOW),
                orDefault(SettingKeys.CIRCUIT_FAILURE_RATIO),
                orDefault(SettingKeys.CIRCUIT_OPEN_WAIT),
                orDefault(SettingKeys.CIRCUIT_PROBES));
    }

    private StatusSettings status() {
        boolean enabled = orDefault(SettingKeys.STATUS_ENABLED);
        String groupId = value(SettingKeys.GROUP_ID);
        if (enabled && groupId != null && !groupId.matches("[a-zA-Z0-9._-]{1,200}")) {
            problems.add(SettingKeys.GROUP_ID.key() + "=" + groupId + " cannot name the status view's Kafka Streams"
                    + " application (GROUP-status): use 1 to 200 letters, digits, '.', '_' or '-', or set "
                    + SettingKeys.STATUS_ENABLED.key() + "=false");
        }
        String stateDir = value(SettingKeys.STATUS_STATE_DIR);
        java.nio.file.Path dir = null;
        if (stateDir != null && !stateDir.isBlank()) {
            try {
                dir = java.nio.file.Path.of(stateDir.trim());
            } catch (java.nio.file.InvalidPathException e) {
                problems.add(SettingKeys.STATUS_STATE_DIR.key() + "=" + stateDir + " is not a directory path");
            }
        }
        String host = value(SettingKeys.STATUS_ADVERTISED_HOST);
        if (host != null && !host.isBlank() && !host.trim().matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            problems.add(SettingKeys.STATUS_ADVERTISED_HOST.key() + "=" + host + " must be a host name or an IP"
                    + " address");
        }
        CidrSet peers = orDefault(SettingKeys.STATUS_PEERS);
        return new StatusSettings(enabled, orDefault(SettingKeys.STATUS_RETENTION), dir,
                host == null || host.isBlank() ? null : host.trim(), peers.isEmpty() ? null : peers);
    }

    private OpsSettings ops() {
        return new OpsSettings(
                orDefault(SettingKeys.ADMIN_BIND),
                orDefault(SettingKeys.ADMIN_PORT),
                adminToken(),
                orDefault(SettingKeys.ADMIN_ALLOW_ANONYMOUS),
                orDefault(SettingKeys.METRICS_MAX_HOSTS),
                orDefault(SettingKeys.LOG_FORMAT),
                orDefault(SettingKeys.LOG_SUMMARY_INTERVAL));
    }

    /** The admin token, read through its reference; null when unset or unreadable (a problem is recorded). */
    private Secret adminToken() {
        RawValue reference = raw.get(SettingKeys.ADMIN_TOKEN.key());
        if (reference == null) {
            return null;
        }
        try {
            return secrets.resolve(SettingKeys.ADMIN_TOKEN.key() + " (from " + reference.origin() + ")",
                    reference.text());
        } catch (IllegalArgumentException e) {
            problems.add(SettingKeys.ADMIN_TOKEN.key() + " (from " + reference.origin() + ") " + e.getMessage());
            return null;
        }
    }

    private EgressSettings egress() {
        return new EgressSettings(
                orDefault(SettingKeys.EGRESS_ALLOW_CIDRS),
                orDefault(SettingKeys.EGRESS_ALLOWED_PORTS),
                orDefault(SettingKeys.EGRESS_ALLOW_HOSTS),
                orDefault(SettingKeys.EGRESS_DENY_HOSTS),
                orDefault(SettingKeys.EGRESS_REQUIRE_TARGET),
                orDefault(SettingKeys.EGRESS_HTTPS_ONLY));
    }

    private HttpSettings http(int workers) {
        Duration callTimeout = orDefault(SettingKeys.HTTP_CALL_TIMEOUT);
        Duration maxCallTimeout = orDefault(SettingKeys.HTTP_MAX_CALL_TIMEOUT);
        if (callTimeout.compareTo(maxCallTimeout) > 0) {
            problems.add(SettingKeys.HTTP_CALL_TIMEOUT.key() + " (" + Durations.format(callTimeout) + ") must not exceed "
                    + SettingKeys.HTTP_MAX_CALL_TIMEOUT.key() + " (" + Durations.format(maxCallTimeout) + ")");
        }
        int perHost = orDefault(SettingKeys.HTTP_PER_HOST_CONCURRENCY);
        return new HttpSettings(
                orDefault(SettingKeys.HTTP_CONNECT_TIMEOUT),
                orDefault(SettingKeys.HTTP_READ_TIMEOUT),
                orDefault(SettingKeys.HTTP_WRITE_TIMEOUT),
                callTimeout,
                maxCallTimeout,
                orDefault(SettingKeys.HTTP_FOLLOW_REDIRECTS),
                orDefault(SettingKeys.HTTP_MAX_REQUEST_BYTES),
                orDefault(SettingKeys.HTTP_MAX_RESPONSE_BYTES),
                perHost == 0 ? workers : perHost,
                orDefault(SettingKeys.HTTP_KEEP_ALIVE),
                orDefault(SettingKeys.HTTP_IDEMPOTENCY_KEY_FROM_ID),
                orDefault(SettingKeys.HTTP_MAX_REDIRECTS),
                orDefault(SettingKeys.HTTP_MAX_REQUEST_HEADERS),
                orDefault(SettingKeys.HTTP_MAX_HEADER_BYTES));
    }

    private RetrySettings retry() {
        StatusSet success = orDefault(SettingKeys.HTTP_SUCCESS_STATUSES);
        StatusSet retry = orDefault(SettingKeys.HTTP_RETRY_STATUSES);
        for (int status = 100; status <= 599; status++) {
            if (success.contains(status) && retry.contains(status)) {
                problems.add("status " + status + " is in both " + SettingKeys.HTTP_SUCCESS_STATUSES.key() + " ("
                        + success + ") and " + SettingKeys.HTTP_RETRY_STATUSES.key() + " (" + retry + ")");
                break;
            }
        }
        Duration initial = orDefault(SettingKeys.RETRY_BACKOFF_INITIAL);
        Duration max = orDefault(SettingKeys.RETRY_BACKOFF_MAX);
        if (initial.compareTo(max) > 0) {
            problems.add(SettingKeys.RETRY_BACKOFF_INITIAL.key() + " (" + Durations.format(initial) + ") must not exceed "
                    + SettingKeys.RETRY_BACKOFF_MAX.key() + " (" + Durations.format(max) + ")");
        }
        return new RetrySettings(success, retry, orDefault(SettingKeys.RETRY_MAX_ATTEMPTS), initial, max,
                orDefault(SettingKeys.RETRY_AFTER_MAX));
    }

    /** The per-key overrides, with each named target's own rate under {@link RateSettings#targetKey}. */
    private RateSettings rate(Map<String, TargetSettings> targets) {
        Map<String, Double> overrides = new java.util.LinkedHashMap<>(orDefault(SettingKeys.RATE_OVERRIDES));
        targets.values().forEach(target -> {
            if (target.rate() != null) {
                overrides.put(RateSettings.targetKey(target.name()), target.rate());
            }
        });
        return new RateSettings(
                orDefault(SettingKeys.RATE_GLOBAL),
                orDefault(SettingKeys.RATE_GLOBAL_BURST),
                orDefault(SettingKeys.RATE_PER_KEY),
                orDefault(SettingKeys.RATE_PER_KEY_BURST),
                overrides,
                orDefault(SettingKeys.RATE_MAX_KEYS),
                orDefault(SettingKeys.RATE_SCOPE),
                new RateSettings.Adaptive(
                        orDefault(SettingKeys.RATE_ADAPTIVE),
                        orDefault(SettingKeys.RATE_DECREASE_FACTOR),
                        orDefault(SettingKeys.RATE_FLOOR),
                        orDefault(SettingKeys.RATE_INCREASE_AFTER)));
    }

    /** The value set for {@code key}, else its default; null (with a problem recorded) when unusable. */
    private <T> T value(SettingKey<T> key) {
        RawValue set = raw.get(key.key());
        if (set != null) {
            return parse(key, key.key(), set);
        }
        return key.defaultText() == null ? null : key.parse(key.defaultText());
    }

    /** Like {@link #value} but never null for keys with a default, so records can be built while collecting problems. */
    private <T> T orDefault(SettingKey<T> key) {
        T value = value(key);
        return value != null ? value : key.parse(key.defaultText());
    }

    private <T> T parse(SettingKey<T> key, String name, RawValue set) {
        return parse(key, name, set, problems);
    }

    /** {@code set} parsed as {@code key} (named {@code name}); null, with a problem recorded, when it cannot be. */
    static <T> T parse(SettingKey<T> key, String name, RawValue set, List<String> problems) {
        try {
            return key.parse(set.text());
        } catch (IllegalArgumentException e) {
            String shown = key.isSecret() ? " (value hidden)" : "=\"" + set.text() + "\"";
            problems.add(name + shown + " (from " + set.origin() + ") " + e.getMessage());
            return null;
        }
    }
}
