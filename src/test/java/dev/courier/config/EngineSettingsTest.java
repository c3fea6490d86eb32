package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's settings: defaults, the value types they use, and the rules across keys. */
class EngineSettingsTest {

    @Test
    void theEngineDefaultsAreTheDocumentedOnes() {
        Settings settings = Settings.defaults();

        assertThat(settings.dispatch()).isEqualTo(new DispatchSettings(64, 1000, Ordering.KEY, Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofSeconds(15), 250));
        assertThat(settings.http().perHostConcurrency()).as("0 means as many as the workers").isEqualTo(64);
        assertThat(settings.http().maxResponseBytes()).isEqualTo(256 * 1024);
        assertThat(settings.http().maxRequestBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.retry().maxAttempts()).isEqualTo(5);
        assertThat(settings.retry().successStatuses().contains(204)).isTrue();
        assertThat(settings.retry().retryStatuses().contains(503)).isTrue();
        assertThat(settings.retry().retryStatuses().contains(501)).isFalse();
        assertThat(settings.rate().global()).isZero();
        assertThat(settings.rate().overrides()).isEmpty();
        assertThat(settings.delivery()).isEqualTo(new DeliverySettings(DeliveryGuarantee.AT_LEAST_ONCE, null));
        assertThat(settings.http().idempotencyKeyFromId()).isTrue();
    }

    @Test
    void exactlyOnceIsChosenWithItsLabel() {
        DeliverySettings delivery = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.transactional-id", "courier-7"))).delivery();

        assertThat(delivery.exactlyOnce()).isTrue();
        assertThat(delivery.transactionalId()).isEqualTo("courier-7");
        assertThatThrownBy(() -> load("courier.delivery.guarantee", "exactly_once"))
                .hasMessageContaining("must be one of at-least-once|exactly-once");
    }

    @Test
    void orderingIsWrittenInLowerCaseWithDashes() {
        assertThat(load("courier.ordering", "unordered").dispatch().ordering()).isEqualTo(Ordering.UNORDERED);
        assertThatThrownBy(() -> load("courier.ordering", "KEY"))
                .hasMessageContaining("must be one of unordered|key|partition");
    }

    @Test
    void statusSetsTakeCodesAndRanges() {
        StatusSet set = StatusSet.parse("200-204, 304");

        assertThat(set.contains(200)).isTrue();
        assertThat(set.contains(204)).isTrue();
        assertThat(set.contains(205)).isFalse();
        assertThat(set.contains(304)).isTrue();
        assertThat(set).hasToString("200-204,304");
    }

    @Test
    void aStatusOutsideHttpsRangeIsRefused() {
        assertThatThrownBy(() -> load("courier.http.retry-statuses", "503,700"))
                .hasMessageContaining("courier.http.retry-statuses=\"503,700\"")
                .hasMessageContaining("must be HTTP status codes (100 to 599) and ranges");
        assertThatThrownBy(() -> StatusSet.parse("300-200")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStatusCannotBeBothSuccessAndRetriable() {
        assertThatThrownBy(() -> load("courier.http.retry-statuses", "200,503"))
                .hasMessage("status 200 is in both courier.http.success-statuses (200-299) and courier.http.retry-statuses (200,503)");
    }

    @Test
    void sizesTakeBinaryAndDecimalUnits() {
        assertThat(DataSizes.parse("512")).isEqualTo(512);
        assertThat(DataSizes.parse("64KiB")).isEqualTo(65_536);
        assertThat(DataSizes.parse("2 MiB")).isEqualTo(2 * 1024 * 1024);
        assertThat(DataSizes.parse("1MB")).isEqualTo(1_000_000);
        assertThat(DataSizes.format(262_144)).isEqualTo("256KiB");
        assertThat(load("courier.http.max-response-bytes", "1MiB").http().maxResponseBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aSizeOutOfRangeIsRefusedWithTheRange() {
        assertThatThrownBy(() -> load("courier.http.max-response-bytes", "1GiB"))
                .hasMessageContaining("must be a size between 0 and 16MiB");
        assertThatThrownBy(() -> load("courier.http.max-response-bytes", "lots"))
                .hasMessageContaining("must be a size between 0 and 16MiB");
    }

    @Test
    void ratesAreDecimalEventsPerSecondAndBurstDefaultsToOneSecond() {
        RateSettings rate = load("courier.rate.global", "2.5").rate();

        assertThat(rate.global()).isEqualTo(2.5);
        assertThat(rate.globalCapacity()).isEqualTo(3);
        assertThatThrownBy(() -> load("courier.rate.global", "-1"))
                .hasMessageContaining("must be a number of events per second from 0 (no limit)");
    }

    @Test
    void perKeyOverridesReplaceTheDefaultRateForTheirKeys() {
        RateSettings rate = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.rate.per-key", "10",
                "courier.rate.per-key-overrides", "api.example.com=50, slow.example.com=0.5"))).rate();

        assertThat(rate.rateFor("api.example.com")).isEqualTo(50);
        assertThat(rate.rateFor("slow.example.com")).isEqualTo(0.5);
        assertThat(rate.rateFor("other.example.com")).isEqualTo(10);
    }

    @Test
    void aMalformedOverrideNamesThePair() {
        assertThatThrownBy(() -> load("courier.rate.per-key-overrides", "api.example.com=fast"))
                .hasMessageContaining("has \"api.example.com=fast\", whose rate must be a number");
        assertThatThrownBy(() -> load("courier.rate.per-key-overrides", "=5"))
                .hasMessageContaining("must be key=rate pairs");
    }

    @Test
    void theDefaultCallTimeoutMustNotExceedTheMaximum() {
        assertThatThrownBy(() -> load("courier.http.call-timeout", "10m"))
                .hasMessage("courier.http.call-timeout (10m) must not exceed courier.http.max-call-timeout (5m)");
    }

    @Test
    void anEventMayLowerTheCallTimeoutButNotPassTheMaximum() {
        HttpSettings http = Settings.defaults().http();

        assertThat(http.attemptTimeout(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(http.attemptTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(http.attemptTimeout(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theInitialBackoffMustNotExceedItsMaximum() {
        assertThatThrownBy(() -> load("courier.retry.backoff-initial", "1m"))
                .hasMessage("courier.retry.backoff-initial (1m) must not exceed courier.retry.backoff-max (30s)");
    }

    private static Settings load(String key, String value) {
        return SettingsLoader.load(SettingSources.none().withOverrides(Map.of(key, value)));
    }

    @Test
    void theRateBudgetsAreTheGroupsAndAdaptByDefault() {
        Settings settings = Settings.defaults();

        assertThat(settings.rate().scope()).isEqualTo(RateScope.GROUP);
        assertThat(settings.rate().adaptive()).isEqualTo(new RateSettings.Adaptive(true, 0.5, 1, 1));
        assertThat(settings.circuit()).isEqualTo(new CircuitSettings(100, 0.5, Duration.ofSeconds(10), 3));
        assertThat(settings.circuit().enabled()).isTrue();
    }

    @Test
    void theInFlightShareOfAKeyIsAQuarterOfTheBoundUnlessSet() {
        assertThat(load("courier.max-in-flight", "10").dispatch().maxInFlightPerKey()).isEqualTo(2);
        assertThat(load("courier.max-in-flight", "2").dispatch().maxInFlightPerKey()).as("at least one").isEqualTo(1);
        assertThat(SettingsLoader.load(SettingSources.none().withOverrides(Map.of("courier.max-in-flight", "10",
                "courier.max-in-flight-per-key", "10"))).dispatch().maxInFlightPerKey()).isEqualTo(10);
    }

    @Test
    void aKeysInFlightShareMayNotExceedTheBound() {
        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.max-in-flight", "10", "courier.max-in-flight-per-key", "11"))))
                .hasMessageContaining("courier.max-in-flight-per-key (11) must not exceed courier.max-in-flight (10)");
    }

    @Test
    void theAdaptiveAndCircuitSettingsAreCheckedAgainstTheirRanges() {
        assertThatThrownBy(() -> load("courier.rate.decrease-factor", "1"))
                .hasMessageContaining("courier.rate.decrease-factor").hasMessageContaining("from 0.05 to 0.95");
        assertThatThrownBy(() -> load("courier.rate.floor", "0"))
                .hasMessageContaining("courier.rate.floor").hasMessageContaining("above 0");
        assertThatThrownBy(() -> load("courier.circuit.failure-ratio", "0"))
                .hasMessageContaining("courier.circuit.failure-ratio");
        assertThatThrownBy(() -> load("courier.rate.scope", "cluster"))
                .hasMessageContaining("must be one of group|instance");
        assertThat(load("courier.circuit.window", "0").circuit().enabled()).isFalse();
    }
}
