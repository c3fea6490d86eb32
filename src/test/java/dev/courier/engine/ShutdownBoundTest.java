package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shutdown's documented worst case, and the defaults that keep it inside Kubernetes' 30 s grace period. */
class ShutdownBoundTest {

    @Test
    void theDefaultsFitInsideKubernetesDefaultGracePeriod() {
        assertThat(Engine.shutdownBound(Settings.defaults())).isEqualTo(Duration.ofSeconds(28))
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theBoundIsTheDrainPlusOneCommitPlusEightSecondsOfClosing() {
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.shutdown.drain-timeout", "40s", "courier.commit.timeout", "10s")));

        assertThat(Engine.shutdownBound(settings)).isEqualTo(Duration.ofSeconds(40 + 10 + 8));
    }

    @Test
    void aDrainShorterThanACommitStillWaitsForTheBlockingCallInProgress() {
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.shutdown.drain-timeout", "0s", "courier.commit.timeout", "5s")));

        assertThat(Engine.shutdownBound(settings)).isEqualTo(Duration.ofSeconds(5 + 5 + 8));
    }
}
