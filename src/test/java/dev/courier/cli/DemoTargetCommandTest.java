package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code courier demo-target}, in-process: it serves the demo API until its thread is interrupted. */
class DemoTargetCommandTest {

    private static final Pattern BANNER = Pattern.compile("Demo target API: (http://127\\.0\\.0\\.1:\\d+) ");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(30)
    void servesTheDemoApiOnTheGivenAddressUntilInterruptedAndThenStopsListening() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread runner = new Thread(() -> exit.complete(CourierCommand.execute(io, "demo-target", "--bind", "127.0.0.1",
                "--port", "0")), "demo-target-command");
        runner.start();

        Matcher banner = await("the banner").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> BANNER.matcher(out.toString(StandardCharsets.UTF_8)), Matcher::find);
        URI base = URI.create(banner.group(1));

        assertThat(get(base.resolve("/ok")).statusCode()).isEqualTo(200);
        assertThat(get(base.resolve("/missing")).statusCode()).isEqualTo(404);

        runner.interrupt();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        try {
            get(base.resolve("/ok"));
            throw new AssertionError("the demo target still answers after the command ended");
        } catch (ConnectException expected) {
            // nothing listens any more
        }
    }

    @Test
    void aPortOutOfRangeIsAFailureNamingIt() {
        Cli.Run run = Cli.run("demo-target", "--port", "70000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("port must be between 0 (a free port) and 65535 but was 70000");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
