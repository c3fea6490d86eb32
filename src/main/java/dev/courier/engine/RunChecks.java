package dev.courier.engine;

import dev.courier.config.Durations;
import dev.courier.config.Settings;
import dev.courier.config.SettingsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Combinations of settings that {@code courier run} refuses at start because they cannot work: each problem
 * names the keys involved, their values and what would work.
 */
final class RunChecks {

    /**
     * What the schema registry client may add to one lookup beyond {@code courier.schema-registry.timeout}: the
     * repeats of a 404 from a follower that is behind.
     */
    static final Duration REGISTRY_REPEATS = Duration.ofSeconds(1);

    private RunChecks() {
    }

    /**
     * The checks of the admin server alone, which {@code courier run} makes before it listens.
     *
     * @throws SettingsException when the admin server would be open beyond this machine without a token
     */
    static void verifyAdmin(Settings settings) {
        String exposure = settings.ops().anonymousExposure();
        if (exposure != null) {
            throw new SettingsException(List.of(exposure));
        }
    }

    /** @throws SettingsException naming every combination that cannot work */
    static void verify(Settings settings, KafkaClients kafka) {
        List<String> problems = new ArrayList<>();
        String exposure = settings.ops().anonymousExposure();
        if (exposure != null) {
            problems.add(exposure);
        }
        String reset = settings.kafka().clientProperties().get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        if (reset != null && !reset.trim().toLowerCase(Locale.ROOT).equals("earliest")) {
            problems.add("kafka." + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG + "=" + reset.trim() + " cannot be used by"
                    + " courier run: a partition without a committed offset, or whose offset is out of range, would"
                    + " skip its events without an outcome; leave it unset (earliest)");
        }
        if (settings.delivery().exactlyOnce()) {
            exactlyOnce(settings, kafka, problems);
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }

    /**
     * Intake commits the transaction every {@code courier.commit.interval}, and between two commits it may wait
     * for one registry lookup; the transaction must not time out meanwhile.
     */
    private static void exactlyOnce(Settings settings, KafkaClients kafka, List<String> problems) {
        if (settings.kafka().clientProperties().containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
            problems.add("kafka." + ProducerConfig.MAX_BLOCK_MS_CONFIG + " cannot be set with"
                    + " courier.delivery.guarantee=exactly-once: Courier sets it from courier.commit.timeout ("
                    + Durations.format(settings.dispatch().commitTimeout()) + "); set that instead");
        }
        Duration interval = settings.dispatch().commitInterval();
        Duration registry = settings.registry().timeout();
        Duration longestOpen = interval.plus(registry).plus(REGISTRY_REPEATS);
        Duration timeout = kafka.transactionTimeout();
        if (longestOpen.compareTo(timeout) >= 0) {
            problems.add("with courier.delivery.guarantee=exactly-once, courier.commit.interval ("
                    + Durations.format(interval) + ") + courier.schema-registry.timeout (" + Durations.format(registry)
                    + ") + " + Durations.format(REGISTRY_REPEATS) + " of registry repeats must stay below"
                    + " kafka.transaction.timeout.ms (" + timeout.toMillis() + "), or transactions time out and"
                    + " abort; lower the first two or raise the last");
        }
    }
}
