package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.engine.Validation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's behaviour that needs no broker: help, usage errors, settings errors. */
class CommandLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "dev", "topics", "topics create", "produce", "consume", "demo-target"})
    void everyCommandHasHelpThatExitsZero(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        Cli.Run run = Cli.run(args);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: courier");
    }

    @Test
    void devHelpListsEveryPathTheDemoTargetAnswers() {
        Cli.Run run = Cli.run("dev", "--help");

        assertThat(run.out().replaceAll("\\s+", "")).as("with the help's line wrapping undone")
                .contains("/ok(200)", "/flaky", "/missing(404)", "/rate-limited", "/slow?delayMs=N", "/status/NNN");
    }

    @Test
    void everyExampleRequestIsAcceptedWithTheExampleSettingsWhateverPortTheDemoTargetHas() throws Exception {
        for (String port : new String[] {"8090", "41234"}) {
            dev.courier.config.Settings settings = dev.courier.config.SettingsLoader.load(
                    dev.courier.config.SettingSources.standard(java.util.Optional.of(Path.of("examples", "courier.properties")),
                            java.util.Map.of(), java.util.Map.of(DevCommand.DEMO_TARGET, "http://127.0.0.1:" + port)));
            RequestLines lines = new RequestLines(Validation.validator(settings));

            for (String line : Files.readAllLines(Path.of("examples", "requests.jsonl"))) {
                assertThat(lines.read(line).request().toString()).as(line).doesNotContain("8090");
            }
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Run run = Cli.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("courier: Missing command").contains("Run 'courier --help' for usage.");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithASuggestion() {
        Cli.Run run = Cli.run("produce", "--fiel", "x.jsonl");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("courier produce: Unknown options: '--fiel'").contains("Possible solutions: --file")
                .contains("Run 'courier produce --help' for usage.");
    }

    @Test
    void anUnknownTopicNameForConsumeIsAUsageError() {
        Cli.Run run = Cli.run("consume", "--topic", "reqeusts");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'reqeusts' is not one of requests, results, dead-letters");
    }

    @Test
    void aBadSettingIsOneLineNamingKeyValueAndAllowedRange() {
        Cli.Run run = Cli.run("topics", "create", "-Dcourier.topics.partitions=many");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("courier topics create: courier.topics.partitions=\"many\" (from"
                + " -Dcourier.topics.partitions) must be an integer between 1 and 10000\n");
    }

    @Test
    void anUnknownSettingInTheConfigFileSuggestsTheNearestKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "courier.group.id=payments\n");

        Cli.Run run = Cli.run("produce", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown setting courier.group.id (from app.properties); did you mean courier.group-id?");
    }

    @Test
    void aCommentAfterAValueInTheConfigFileIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "courier.group-id=payments    # one group per team\n");

        Cli.Run run = Cli.run("topics", "create", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("courier topics create: courier.group-id (from app.properties, line 1) ends in"
                + " a comment");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Cli.Run run = Cli.run("consume", "--topic", "results", "--config", "/nonexistent/app.properties");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("courier consume: config file /nonexistent/app.properties does not exist\n");
    }

    @Test
    void environmentVariablesAreSettings() {
        Cli.Run run = Cli.runWithEnvironment(java.util.Map.of("COURIER_COURIER_TOPICS_PARTITIONS", "0"), "",
                "topics", "create");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("(from environment variable COURIER_COURIER_TOPICS_PARTITIONS)");
    }

    @Test
    void runRefusesAnAdminServerOpenToTheNetworkWithoutATokenBeforeListening() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }

        Cli.Run run = Cli.run("run", "-Dcourier.admin.bind=0.0.0.0", "-Dcourier.admin.port=" + port,
                "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dcourier.connect-timeout=1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("courier.admin.bind=0.0.0.0", "courier.admin.token",
                "courier.admin.allow-anonymous=true");
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).as("the admin port was never taken").isEqualTo(port);
        }
    }

    @Test
    void anUnreachableBrokerIsAClearErrorNotAHang() {
        long start = System.nanoTime();

        Cli.Run run = Cli.run("topics", "create", "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dcourier.connect-timeout=2s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Kafka at 127.0.0.1:1 did not answer within 2s; check kafka.bootstrap.servers");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
    }

    @Test
    void helpHasNoColourWhenNoColorIsSetEvenWherePicocliWouldUseIt() {
        String forced = System.setProperty("picocli.ansi", "true");
        try {
            assertThat(Cli.run("produce", "--help").out()).as("colour is forced on").contains("\u001b[");

            Cli.Run run = Cli.runWithEnvironment(java.util.Map.of("NO_COLOR", "1"), "", "produce", "--help");

            assertThat(run.out()).startsWith("Usage: courier produce").doesNotContain("\u001b");
        } finally {
            if (forced == null) {
                System.clearProperty("picocli.ansi");
            } else {
                System.setProperty("picocli.ansi", forced);
            }
        }
    }

    @Test
    void theVersionIsPrinted() {
        Cli.Run run = Cli.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("courier ");
    }
}
