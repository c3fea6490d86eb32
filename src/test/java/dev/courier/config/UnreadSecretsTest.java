package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings loaded for a command that uses no secret leave each one to be read at its first use. */
class UnreadSecretsTest {

    private static final Map<String, String> TARGET = Map.of(
            "courier.targets.api.base-url", "https://api.example.com",
            "courier.targets.api.auth", "bearer",
            "courier.targets.api.auth-secret", "${env:API_TOKEN}");

    @Test
    void aSecretThatCannotBeReadStopsOnlyWhatUsesItNamingTheKey() {
        Settings settings = SettingsLoader.loadLeavingSecretsUnread(SettingSources.none().withOverrides(TARGET));
        Secret secret = settings.target("api").orElseThrow().auth().secret();

        assertThatThrownBy(secret::value).isInstanceOf(SettingsException.class)
                .hasMessage("courier.targets.api.auth-secret (from -Dcourier.targets.api.auth-secret) refers to"
                        + " environment variable API_TOKEN, which is not set");
    }

    @Test
    void aSecretLeftUnreadIsReadAtItsFirstUse() {
        Settings settings = SettingsLoader.loadLeavingSecretsUnread(SettingSources.none()
                .withEnvironment(Map.of("API_TOKEN", "tok-1")).withOverrides(TARGET));

        assertThat(settings.target("api").orElseThrow().auth().secret().value()).isEqualTo("tok-1");
    }

    @Test
    void aSecretWrittenOutIsRefusedAtLoadAllTheSame() {
        assertThatThrownBy(() -> SettingsLoader.loadLeavingSecretsUnread(SettingSources.none().withOverrides(Map.of(
                "courier.targets.api.base-url", "https://api.example.com", "courier.targets.api.auth", "bearer",
                "courier.targets.api.auth-secret", "sk_live_written_out"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("must be a reference")
                .hasMessageNotContaining("sk_live_written_out");
    }

    @Test
    void loadingForRunReadsEverySecretAtOnce() {
        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withOverrides(TARGET)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("courier.targets.api.auth-secret");
    }
}
