package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

    @Test
    void defaultsPickFreePortsATemporaryDirectoryAndAMinuteToStart() {
        EmbeddedKafka.Options kafka = EmbeddedKafka.Options.defaults();
        assertThat(kafka.port()).isZero();
        assertThat(kafka.dataDir()).isEmpty();
        assertThat(kafka.startupTimeout()).isEqualTo(Duration.ofSeconds(60));

        RegistryStandIn.Options registry = RegistryStandIn.Options.defaults();
        assertThat(registry.port()).isZero();
        assertThat(registry.basicAuth()).isEmpty();

        LocalSandbox.Options sandbox = LocalSandbox.Options.defaults();
        assertThat(sandbox.kafkaPort()).isZero();
        assertThat(sandbox.registryPort()).isZero();
        assertThat(sandbox.dataDir()).isEmpty();
    }

    @Test
    void withersChangeOneSettingAndKeepTheOthers() {
        EmbeddedKafka.Options kafka = EmbeddedKafka.Options.defaults().withPort(9092).withDataDir(Path.of("data"));
        assertThat(kafka).isEqualTo(new EmbeddedKafka.Options(9092, Optional.of(Path.of("data")), Duration.ofSeconds(60)));

        LocalSandbox.Options sandbox = LocalSandbox.Options.defaults().withKafkaPort(9092).withRegistryPort(8081);
        assertThat(sandbox).isEqualTo(new LocalSandbox.Options(9092, 8081, Optional.empty(), java.util.OptionalInt.empty()));
    }

    @Test
    void aPortOutsideZeroTo65535IsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> EmbeddedKafka.Options.defaults().withPort(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 0 (a free port) and 65535 but was -1");
        assertThatThrownBy(() -> RegistryStandIn.Options.defaults().withPort(65_536))
                .hasMessage("port must be between 0 (a free port) and 65535 but was 65536");
        assertThatThrownBy(() -> LocalSandbox.Options.defaults().withKafkaPort(70_000))
                .hasMessageStartingWith("kafkaPort must be");
        assertThatThrownBy(() -> LocalSandbox.Options.defaults().withRegistryPort(-5))
                .hasMessageStartingWith("registryPort must be");
    }

    @Test
    void aStartupTimeoutMustBePositive() {
        assertThatThrownBy(() -> EmbeddedKafka.Options.defaults().withStartupTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("startupTimeout must be positive but was PT0S");
    }

    @Test
    void aBasicAuthUsernameMustBeNonEmptyWithoutAColon() {
        assertThatThrownBy(() -> RegistryStandIn.Options.defaults().withBasicAuth("", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryStandIn.Options.defaults().withBasicAuth("a:b", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("username");
    }
}
