package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar target/courier.jar dev} as a user runs it: a child JVM from the packaged jar
 * (failsafe runs after {@code package}), then the other commands against it.
 */
class DevCommandIT {

    private static final Path JAR = Path.of("target", "courier.jar");

    private Process dev;

    @AfterEach
    void stopDev() throws InterruptedException {
        if (dev != null && dev.isAlive()) {
            dev.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void devPrintsItsAddressesAndServesTheOtherCommandsUntilTerminated() throws Exception {
        assertThat(JAR).as("the packaged jar; run 'mvn package' first").exists();
        dev = new ProcessBuilder(java(), "-jar", JAR.toString(), "dev", "--kafka-port", "0", "--registry-port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8));

        List<String> banner = CompletableFuture.supplyAsync(() -> readLines(out, 4)).get(20, TimeUnit.SECONDS);

        assertThat(banner.get(0)).matches("Kafka bootstrap servers: 127\\.0\\.0\\.1:\\d+");
        assertThat(banner.get(1)).matches("Schema registry: +http://127\\.0\\.0\\.1:\\d+");
        String bootstrap = banner.get(0).substring(banner.get(0).lastIndexOf(' ') + 1);
        String registry = banner.get(1).substring(banner.get(1).lastIndexOf(' ') + 1);
        String[] settings = {"-Dkafka.bootstrap.servers=" + bootstrap, "-Dcourier.schema-registry.url=" + registry};
        int examples = Files.readAllLines(Path.of("examples", "requests.jsonl")).size();

        assertThat(Cli.run(with(settings, "topics", "create")).exitCode()).isZero();
        assertThat(Cli.run(with(settings, "produce", "--file", "examples/requests.jsonl")).err())
                .isEqualTo("sent " + examples + " events to courier.requests\n");
        Cli.Run consumed = Cli.run(with(settings, "consume", "--topic", "requests", "--from-beginning",
                "--max", String.valueOf(examples), "--timeout", "20s"));
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).hasSize(examples);

        dev.destroy();
        assertThat(dev.waitFor(30, TimeUnit.SECONDS)).as("dev stops on SIGTERM").isTrue();
        assertThat(dev.exitValue()).isEqualTo(143);
    }

    private static String[] with(String[] settings, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(settings));
        return all.toArray(String[]::new);
    }

    private static List<String> readLines(BufferedReader reader, int count) {
        List<String> lines = new ArrayList<>();
        try {
            while (lines.size() < count) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                lines.add(line);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
