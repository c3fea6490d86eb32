package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalsTest {

    @Test
    void terminalDevicesAreTerminalsAndFilesAndPipesAreNot() {
        assertThat(Terminals.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminals.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminals.isTerminalDevice("/work/courier/demo.log")).isFalse();
        assertThat(Terminals.isTerminalDevice("pipe:[81234]")).isFalse();
        assertThat(Terminals.isTerminalDevice("/dev/null")).isFalse();
    }

    @Test
    void theStandardErrorOfATestRunIsAFileOrAPipeNotATerminal() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");

        assertThat(Terminals.isTerminal(Terminals.STDERR)).isFalse();
    }

    @Test
    void noColorTurnsColourOffWhenItHasAValue() {
        assertThat(io(Map.of()).colour()).isTrue();
        assertThat(io(Map.of("NO_COLOR", "")).colour()).isTrue();
        assertThat(io(Map.of("NO_COLOR", "1")).colour()).isFalse();
    }

    private static Io io(Map<String, String> environment) {
        return new Io(System.in, System.out, System.err, environment);
    }
}
