package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.ops.AdminServer;
import dev.courier.ops.Health;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's health check ({@code src/main/docker/healthcheck}, the Dockerfile's HEALTHCHECK) run by bash as Docker
 * runs it, against Courier's own admin server on a free port of 127.0.0.1: it asks {@code /health/ready} on the port
 * the container's environment gives, passes while every check is up and fails while one is down or nothing listens,
 * with nothing installed but bash.
 */
@Timeout(60)
class HealthCheckScriptTest {

    static final Path SCRIPT = Path.of("src", "main", "docker", "healthcheck");

    private final AtomicBoolean registryUp = new AtomicBoolean(true);
    private AdminServer admin;

    /** What the script printed and how it exited. */
    record Result(int exitCode, String output) {
    }

    @BeforeEach
    void startAnAdminServerWithTheProbes() throws IOException {
        admin = AdminServer.start("127.0.0.1", 0, null);
        Health health = new Health();
        health.ready("registry", () -> registryUp.get() ? Health.Status.up()
                : Health.Status.down("the registry did not answer within 5000 ms"));
        health.live("intake", Health.Status::up);
        health.serveOn(admin);
        health.started();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void itAsksTheReadinessProbeOnTheAdminPortTheEnvironmentGives() throws Exception {
        Result result = run(Map.of("COURIER_COURIER_ADMIN_PORT", String.valueOf(admin.port())));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("HTTP/1.1 200").contains("\"registry\":{\"status\":\"UP\"}");
    }

    @Test
    void itFailsWhileACheckIsDownAndPrintsWhy() throws Exception {
        registryUp.set(false);

        Result result = run(Map.of("COURIER_COURIER_ADMIN_PORT", String.valueOf(admin.port())));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).startsWith("HTTP/1.1 503")
                .contains("the registry did not answer within 5000 ms");
    }

    @Test
    void itFailsWhenNothingListensOnThePort() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }

        Result result = run(Map.of("COURIER_COURIER_ADMIN_PORT", String.valueOf(free)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("nothing answers at 127.0.0.1:" + free);
    }

    @Test
    void aBindToEveryInterfaceIsAskedOnLoopbackAndOneAddressIsAskedThere() throws Exception {
        String port = String.valueOf(admin.port());

        assertThat(run(Map.of("COURIER_COURIER_ADMIN_PORT", port, "COURIER_COURIER_ADMIN_BIND", "0.0.0.0")).exitCode())
                .isZero();
        assertThat(run(Map.of("COURIER_COURIER_ADMIN_PORT", port, "COURIER_COURIER_ADMIN_BIND", "127.0.0.1")).exitCode())
                .isZero();
        Result elsewhere = run(Map.of("COURIER_COURIER_ADMIN_PORT", port, "COURIER_COURIER_ADMIN_BIND", "127.0.0.2"));
        assertThat(elsewhere.exitCode()).as("the server listens on 127.0.0.1 only").isEqualTo(1);
    }

    @Test
    void withoutAnAdminPortItAsksCouriersDefaultPort() throws Exception {
        // read, not run: a run would knock on whatever else listens on that port of this machine
        assertThat(Files.readString(SCRIPT)).contains("${COURIER_COURIER_ADMIN_PORT:-"
                + SettingsModel.defaultOf("courier.admin.port") + "}");
    }

    @Test
    void aUrlArgumentIsAskedInsteadAsTheComposeStackAsksTheDemoTarget() throws Exception {
        Result ready = run(Map.of(), "http://127.0.0.1:" + admin.port() + "/health/live");
        Result missing = run(Map.of(), "http://127.0.0.1:" + admin.port() + "/no-such-path");
        Result notAUrl = run(Map.of(), "127.0.0.1:" + admin.port());

        assertThat(ready.exitCode()).as(ready.output()).isZero();
        assertThat(ready.output()).contains("\"intake\":{\"status\":\"UP\"}");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(notAUrl.exitCode()).isEqualTo(1);
        assertThat(notAUrl.output()).contains("expected a URL such as http://127.0.0.1:8080/health/ready");
    }

    /** Runs the script with bash, with only {@code environment} (and PATH) set, as the container's user would. */
    private static Result run(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the health check did not end within 20 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
