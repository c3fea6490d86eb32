package dev.courier.config;

import dev.courier.config.SettingSources.RawValue;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

    private static final Pattern TARGET_KEY = Pattern.compile(
            Pattern.quote(SettingKeys.TARGET_BASE_URL_PREFIX) + "([A-Za-z0-9_-]+)" + Pattern.quote(SettingKeys.TARGET_BASE_URL_SUFFIX));
    private static final Pattern TARGET_ANY = Pattern.compile(
            Pattern.quote(SettingKeys.TARGET_BASE_URL_PREFIX) + "([^.]+)\\..*");

    private final Map<String, RawValue> raw;
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader(SettingSources sources) {
        this.raw = sources.collect(problems);
    }

    /**
     * @throws SettingsException naming every key whose value cannot be used, and every unknown key
     */
    public static Settings load(SettingSources sources) {
        return new SettingsLoader(sources).settings();
    }

    private Settings settings() {
        refuseUnknownKeys();
        DispatchSettings dispatch = dispatch();
        Settings settings = new Settings(kafka(), registry(), topics(), value(SettingKeys.GROUP_ID),
                orDefault(SettingKeys.CONNECT_TIMEOUT), targets(), dispatch, http(dispatch.workers()), retry(), rate(),
                new DeliverySettings(orDefault(SettingKeys.DELIVERY_GUARANTEE), value(SettingKeys.TRANSACTIONAL_ID)));
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return settings;
    }

    private void refuseUnknownKeys() {
        Set<String> known = new LinkedHashSet<>();
        SettingKeys.ALL.forEach(key -> known.add(key.key()));
        raw.forEach((key, value) -> {
            if (key.startsWith("kafka.") || known.contains(key) || TARGET_KEY.matcher(key).matches()) {
                return;
            }
            Set<String> candidates = new LinkedHashSet<>(known);
            Matcher target = TARGET_ANY.matcher(key);
            if (target.matches()) {
                candidates.add(SettingKeys.TARGET_BASE_URL_PREFIX + target.group(1) + SettingKeys.TARGET_BASE_URL_SUFFIX);
            }
            String hint = Suggestions.nearest(key, candidates)
                    .map(s -> "; did you mean " + s + "?")
                    .orElse(key.startsWith("courier.")
                            ? "; the README lists every setting"
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
                orDefault(SettingKeys.TOPIC_PARTITIONS),
                value(SettingKeys.TOPIC_REPLICATION_FACTOR));
    }

    private DispatchSettings dispatch() {
        return new DispatchSettings(
                orDefault(SettingKeys.WORKERS),
                orDefault(SettingKeys.MAX_IN_FLIGHT),
                orDefault(SettingKeys.ORDERING),
                orDefault(SettingKeys.COMMIT_INTERVAL),
                orDefault(SettingKeys.COMMIT_TIMEOUT),
                orDefault(SettingKeys.DRAIN_TIMEOUT));
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
                orDefault(SettingKeys.HTTP_IDEMPOTENCY_KEY_FROM_ID));
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

    private RateSettings rate() {
        return new RateSettings(
                orDefault(SettingKeys.RATE_GLOBAL),
                orDefault(SettingKeys.RATE_GLOBAL_BURST),
                orDefault(SettingKeys.RATE_PER_KEY),
                orDefault(SettingKeys.RATE_PER_KEY_BURST),
                orDefault(SettingKeys.RATE_OVERRIDES),
                orDefault(SettingKeys.RATE_MAX_KEYS));
    }

    private Map<String, URI> targets() {
        Map<String, URI> targets = new HashMap<>();
        raw.forEach((key, value) -> {
            Matcher matcher = TARGET_KEY.matcher(key);
            if (matcher.matches()) {
                URI url = parse(SettingKeys.TARGET_BASE_URL, key, value);
                if (url != null) {
                    targets.put(matcher.group(1), url);
                }
            }
        });
        return targets;
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
        try {
            return key.parse(set.text());
        } catch (IllegalArgumentException e) {
            problems.add(name + "=\"" + set.text() + "\" (from " + set.origin() + ") " + e.getMessage());
            return null;
        }
    }
}
