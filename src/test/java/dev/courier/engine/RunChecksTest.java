package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsException;
import dev.courier.config.SettingsLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings that courier run refuses at start, since they cannot work together. */
class RunChecksTest {

    @Test
    void theDefaultsPassInBothModes() {
        assertThatCode(() -> verify(Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> verify(Map.of("courier.delivery.guarantee", "exactly-once")))
                .doesNotThrowAnyException();
    }

    @Test
    void anOffsetResetThatSkipsEventsIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> verify(Map.of("kafka.auto.offset.reset", "latest")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("kafka.auto.offset.reset=latest cannot be used by courier run");
        assertThatThrownBy(() -> verify(Map.of("kafka.auto.offset.reset", "none")))
                .hasMessageContaining("kafka.auto.offset.reset=none");
        assertThatCode(() -> verify(Map.of("kafka.auto.offset.reset", "EARLIEST"))).doesNotThrowAnyException();
    }

    @Test
    void aCommitIntervalThatOutlastsTheTransactionTimeoutIsRefusedNamingTheKeys() {
        assertThatThrownBy(() -> verify(Map.of("courier.delivery.guarantee", "exactly-once",
                "courier.commit.interval", "1m")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("courier.commit.interval (1m)")
                .hasMessageContaining("courier.schema-registry.timeout (5s)")
                .hasMessageContaining("kafka.transaction.timeout.ms (10000)");
        assertThatCode(() -> verify(Map.of("courier.commit.interval", "1m")))
                .as("at-least-once has no transaction").doesNotThrowAnyException();
    }

    @Test
    void aRegistryTimeoutThatOutlastsTheTransactionTimeoutIsRefusedUnlessTheTimeoutIsRaised() {
        Map<String, String> slowRegistry = Map.of("courier.delivery.guarantee", "exactly-once",
                "courier.schema-registry.timeout", "10s");

        assertThatThrownBy(() -> verify(slowRegistry)).hasMessageContaining("courier.schema-registry.timeout (10s)");
        Map<String, String> raised = new HashMap<>(slowRegistry);
        raised.put("kafka.transaction.timeout.ms", "30000");
        assertThatCode(() -> verify(raised)).doesNotThrowAnyException();
    }

    @Test
    void theProducersBlockingTimeIsSetByTheCommitTimeoutInExactlyOnceMode() {
        assertThatThrownBy(() -> verify(Map.of("courier.delivery.guarantee", "exactly-once",
                "kafka.max.block.ms", "60000")))
                .hasMessageContaining("kafka.max.block.ms cannot be set")
                .hasMessageContaining("courier.commit.timeout");
    }

    @Test
    void anAdminServerOpenBeyondThisMachineWithoutATokenIsRefusedUnlessAnonymousIsAllowed() {
        assertThatThrownBy(() -> verify(Map.of("courier.admin.bind", "0.0.0.0")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("courier.admin.bind=0.0.0.0")
                .hasMessageContaining("courier.admin.token")
                .hasMessageContaining("courier.admin.allow-anonymous=true");
        assertThatThrownBy(() -> verify(Map.of("courier.admin.bind", "::"))).hasMessageContaining("courier.admin.bind=::");
        assertThatThrownBy(() -> verify(Map.of("courier.admin.bind", "10.1.2.3")))
                .hasMessageContaining("courier.admin.bind=10.1.2.3");
        assertThatCode(() -> verify(Map.of("courier.admin.bind", "0.0.0.0", "courier.admin.allow-anonymous", "true")))
                .doesNotThrowAnyException();
        assertThatCode(() -> RunChecks.verifyAdmin(load(Map.of("courier.admin.bind", "127.0.0.1"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> RunChecks.verifyAdmin(load(Map.of("courier.admin.bind", "::1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aTokenOpensTheAdminServerBeyondThisMachine() {
        Settings settings = SettingsLoader.load(SettingSources.none()
                .withEnvironment(Map.of("ADMIN_TOKEN", "t0ken"))
                .withOverrides(Map.of("courier.admin.bind", "0.0.0.0", "courier.admin.token", "${env:ADMIN_TOKEN}")));

        assertThatCode(() -> RunChecks.verify(settings, new KafkaClients(settings))).doesNotThrowAnyException();
    }

    private static Settings load(Map<String, String> values) {
        return SettingsLoader.load(SettingSources.none().withOverrides(values));
    }

    private static void verify(Map<String, String> values) {
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(values));
        RunChecks.verify(settings, new KafkaClients(settings));
    }
}
