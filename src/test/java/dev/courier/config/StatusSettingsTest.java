package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status view's settings: defaults, and one test per validation rule. */
class StatusSettingsTest {

    private static Settings load(Map<String, String> values) {
        return SettingsLoader.load(SettingSources.none().withOverrides(values));
    }

    @Test
    void theViewIsOnWithASevenDayRetentionATemporaryStateDirAndTheAdminAddressByDefault() {
        StatusSettings status = Settings.defaults().status();

        assertThat(status.enabled()).isTrue();
        assertThat(status.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(status.stateDir()).isNull();
        assertThat(status.advertisedHost()).isNull();
    }

    @Test
    void eachSettingIsRead() {
        StatusSettings status = load(Map.of("courier.status.enabled", "false", "courier.status.retention", "36h",
                "courier.status.state-dir", "/var/lib/courier", "courier.status.advertised-host", "courier-0.courier"))
                .status();

        assertThat(status.enabled()).isFalse();
        assertThat(status.retention()).isEqualTo(Duration.ofHours(36));
        assertThat(status.stateDir()).isEqualTo(Path.of("/var/lib/courier"));
        assertThat(status.advertisedHost()).isEqualTo("courier-0.courier");
    }

    @Test
    void aRetentionOutsideItsRangeNamesTheKeyAndTheRange() {
        assertThatThrownBy(() -> load(Map.of("courier.status.retention", "400d")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("courier.status.retention")
                .hasMessageContaining("400d");
        assertThatThrownBy(() -> load(Map.of("courier.status.retention", "500ms")))
                .hasMessageContaining("courier.status.retention");
    }

    @Test
    void aGroupIdThatCannotNameTheStreamsApplicationIsRefusedUnlessTheViewIsOff() {
        assertThatThrownBy(() -> load(Map.of("courier.group-id", "payments group")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("courier.group-id=payments group")
                .hasMessageContaining("courier.status.enabled=false");

        assertThat(load(Map.of("courier.group-id", "payments group", "courier.status.enabled", "false")).groupId())
                .isEqualTo("payments group");
    }

    @Test
    void anAdvertisedHostThatIsNotAHostIsRefused() {
        assertThatThrownBy(() -> load(Map.of("courier.status.advertised-host", "http://courier-0/")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("courier.status.advertised-host=http://courier-0/");
    }
}
