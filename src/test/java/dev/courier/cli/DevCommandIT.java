package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testkit.CourierProcess;
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
        List<String> banner = startDev();

        assertThat(banner.get(0)).matches("Kafka bootstrap servers: 127\\.0\\.0\\.1:\\d+");
        assertThat(banner.get(1)).matches("Schema registry: +http://127\\.0\\.0\\.1:\\d+");
        assertThat(banner.get(2)).matches("Demo target API: +http://127\\.0\\.0\\.1:\\d+");
        String bootstrap = banner.get(0).substring(banner.get(0).lastIndexOf(' ') + 1);
        String registry = banner.get(1).substring(banner.get(1).lastIndexOf(' ') + 1);
        String[] settings = {"-Dkafka.bootstrap.servers=" + bootstrap, "-Dcourier.schema-registry.url=" + registry};
        int examples = Files.readAllLines(Path.of("examples", "requests.jsonl")).size();

        assertThat(Cli.run(with(settings, "topics", "create")).exitCode()).isZero();
        assertThat(Cli.run(with(settings, "produce", "--config", "examples/courier.properties",
                "--file", "examples/requests.jsonl")).err())
                .isEqualTo("sent " + examples + " events to courier.requests\n");
        Cli.Run consumed = Cli.run(with(settings, "consume", "--topic", "requests", "--from-beginning",
                "--max", String.valueOf(examples), "--timeout", "20s"));
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).hasSize(examples);

        dev.destroy();
        assertThat(dev.waitFor(30, TimeUnit.SECONDS)).as("dev stops on SIGTERM").isTrue();
        assertThat(dev.exitValue()).isEqualTo(143);
    }

    @Test
    @Timeout(180)
    void runAgainstDevProcessesWhatProduceSentEachEventExactlyOnce() throws Exception {
        List<String> banner = startDev();
        String bootstrap = banner.get(0).substring(banner.get(0).lastIndexOf(' ') + 1);
        String registry = banner.get(1).substring(banner.get(1).lastIndexOf(' ') + 1);
        String target = banner.get(2).substring(banner.get(2).lastIndexOf(' ') + 1);
        String[] settings = {"-Dkafka.bootstrap.servers=" + bootstrap, "-Dcourier.schema-registry.url=" + registry,
            "-D" + DevCommand.DEMO_TARGET + "=" + target};
        assertThat(Cli.run(with(settings, "topics", "create")).exitCode()).isZero();
        assertThat(Cli.run(with(settings, "produce", "--config", "examples/courier.properties", "--file",
                "examples/requests.jsonl")).exitCode()).isZero();

        java.util.Map<String, String> runSettings = new java.util.HashMap<>();
        runSettings.put("kafka.bootstrap.servers", bootstrap);
        runSettings.put("courier.schema-registry.url", registry);
        runSettings.put(DevCommand.DEMO_TARGET, target);
        try (CourierProcess run = CourierProcess.start(runSettings, "run")) {
            Cli.Run results = Cli.run(with(settings, "consume", "--topic", "results", "--from-beginning", "--max", "4",
                    "--timeout", "60s"));
            Cli.Run deadLetters = Cli.run(with(settings, "consume", "--topic", "dead-letters", "--from-beginning",
                    "--max", "2", "--timeout", "60s"));
            Cli.Run more = Cli.run(with(settings, "consume", "--topic", "results", "--from-beginning", "--timeout", "3s"));
            assertThat(run.terminate(60)).as(run.output()).isEqualTo(143);

            assertThat(results.exitCode()).as(results.toString() + run.output()).isZero();
            assertThat(deadLetters.exitCode()).as(deadLetters.toString() + run.output()).isZero();
            assertThat(more.outLines()).as("no result appears twice").hasSize(4);
            assertThat(String.join("\n", results.outLines()))
                    .contains("\"requestId\":\"req-0001\"", "\"requestId\":\"req-0002\"", "\"requestId\":\"req-0003\"",
                            "\"requestId\":\"req-0005\"");
            assertThat(results.outLines()).filteredOn(line -> line.contains("req-0003"))
                    .singleElement().asString().contains("\"attempts\":3");
            assertThat(results.outLines()).filteredOn(line -> line.contains("req-0005"))
                    .singleElement().asString().contains("\"attempts\":2");
            assertThat(deadLetters.outLines()).filteredOn(line -> line.contains("\"requestId\":\"req-0004\""))
                    .singleElement().asString().contains("\"category\":\"HTTP_CLIENT_ERROR\"");
            assertThat(deadLetters.outLines()).filteredOn(line -> line.contains("\"requestId\":\"req-0006\""))
                    .singleElement().asString().contains("\"category\":\"UNSAFE_TO_RETRY\"");
        }
        dev.destroy();
        assertThat(dev.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Starts {@code courier dev} on free ports and returns the five lines it prints first (within 20 s). */
    private List<String> startDev() throws Exception {
        assertThat(JAR).as("the packaged jar; run 'mvn package' first").exists();
        dev = new ProcessBuilder(java(), "-jar", JAR.toString(), "dev", "--kafka-port", "0", "--registry-port", "0",
                "--target-port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> readLines(out, 5)).get(20, TimeUnit.SECONDS);
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
