package dev.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendChoiceTest {

    @Test
    void theEmbeddedBackendIsTheDefault() {
        assertThat(BackendChoice.parse(null)).isEqualTo(BackendChoice.EMBEDDED);
        assertThat(BackendChoice.parse(" ")).isEqualTo(BackendChoice.EMBEDDED);
    }

    @Test
    void valuesAreReadCaseInsensitively() {
        assertThat(BackendChoice.parse("embedded")).isEqualTo(BackendChoice.EMBEDDED);
        assertThat(BackendChoice.parse("Containers")).isEqualTo(BackendChoice.CONTAINERS);
        assertThat(BackendChoice.parse(" AUTO ")).isEqualTo(BackendChoice.AUTO);
    }

    @Test
    void anUnknownValueIsRefusedNamingThePropertyAndTheChoices() {
        assertThatThrownBy(() -> BackendChoice.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("courier.test.sandbox must be one of embedded, containers, auto but was 'docker'");
    }
}
