package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Secret;
import dev.courier.ops.AdminResponse;
import dev.courier.ops.AdminServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courier status} against an admin server whose {@code /requests/} route the test writes. */
class StatusCommandTest {

    private AdminServer admin;
    private String url;

    @BeforeEach
    void startAdmin() throws Exception {
        admin = AdminServer.start("127.0.0.1", 0, new Secret("t0ken"));
        admin.route("/requests/", AdminServer.Access.TOKEN, path -> switch (path) {
            case "/requests/known" -> AdminResponse.json(200, "{\"id\":\"known\",\"state\":\"succeeded\"}");
            case "/requests/with space/and slash" -> AdminResponse.json(200, "{\"id\":\"with space/and slash\"}");
            case "/requests/starting" -> AdminResponse.error(503, "the status view is rebalancing");
            default -> AdminResponse.json(404, "{\"error\":\"unknown\",\"id\":\"" + path.substring(10) + "\"}");
        });
        url = "http://127.0.0.1:" + admin.port();
    }

    @AfterEach
    void stopAdmin() {
        admin.close();
    }

    @Test
    void aKnownIdPrintsTheAnswerAndExitsZero() {
        Cli.Run run = Cli.run("status", "known", "--admin", url, "--token", "t0ken");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("{\"id\":\"known\",\"state\":\"succeeded\"}\n");
    }

    @Test
    void anUnknownIdPrintsThe404AnswerAndExitsOne() {
        Cli.Run run = Cli.run("status", "nope", "--admin", url, "--token", "t0ken");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\"id\":\"nope\"");
    }

    @Test
    void anIdIsSentEncodedWhateverItsCharacters() {
        Cli.Run run = Cli.run("status", "with space/and slash", "--admin", url + "/", "--token", "t0ken");

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void theTokenComesFromTheSettingsWhenNotGiven() {
        Cli.Run run = Cli.runWithEnvironment(Map.of("ADMIN_TOKEN", "t0ken"), "", "status", "known", "--admin", url,
                "-Dcourier.admin.token=${env:ADMIN_TOKEN}");

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void withoutAdminTheAddressComesFromTheAdminSettings() {
        Cli.Run run = Cli.run("status", "known", "-Dcourier.admin.port=" + admin.port(), "--token", "t0ken");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("{\"id\":\"known\",\"state\":\"succeeded\"}\n");
    }

    @Test
    void withoutAdminTheAddressAndTokenComeFromTheConfigFile(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("admin-token"), "t0ken");
        Path config = dir.resolve("courier.properties");
        Files.writeString(config, "courier.admin.bind=0.0.0.0\ncourier.admin.port=" + admin.port()
                + "\ncourier.admin.token=${file:" + token + "}\n");

        Cli.Run run = Cli.run("status", "known", "--config", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void anAdminAddressWithoutASchemeIsTakenAsHttp() {
        Cli.Run run = Cli.run("status", "known", "--admin", "127.0.0.1:" + admin.port(), "--token", "t0ken");

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void anUnreachableServerIsSaidWithAReasonAndWhereTheAddressCameFrom() {
        Cli.Run given = Cli.run("status", "known", "--admin", "http://127.0.0.1:1", "--token", "t0ken");
        assertThat(given.exitCode()).isEqualTo(1);
        assertThat(given.err()).startsWith("courier status: cannot reach the admin server at http://127.0.0.1:1:")
                .doesNotContain("null");

        Cli.Run fromSettings = Cli.run("status", "known", "-Dcourier.admin.port=1", "--token", "t0ken");
        assertThat(fromSettings.exitCode()).isEqualTo(1);
        assertThat(fromSettings.err()).contains("http://127.0.0.1:1 (from courier.admin.bind and courier.admin.port")
                .doesNotContain("null");
    }

    @Test
    void anAdminPortOfZeroInTheSettingsAsksForAdmin() {
        Cli.Run run = Cli.run("status", "known", "-Dcourier.admin.port=0", "--token", "t0ken");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("courier.admin.port is 0").contains("--admin");
    }

    @Test
    void aMissingTokenAViewNotReadyAndAnUnreachableServerAreFailuresSaidOnStandardError() {
        Cli.Run unauthorized = Cli.run("status", "known", "--admin", url);
        assertThat(unauthorized.exitCode()).isEqualTo(1);
        assertThat(unauthorized.err()).contains("answered 401");

        Cli.Run starting = Cli.run("status", "starting", "--admin", url, "--token", "t0ken");
        assertThat(starting.exitCode()).isEqualTo(1);
        assertThat(starting.err()).contains("answered 503").contains("rebalancing");

        Cli.Run unreachable = Cli.run("status", "known", "--admin", "http://127.0.0.1:1", "--token", "t0ken");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the admin server at http://127.0.0.1:1");

        Cli.Run notHttp = Cli.run("status", "known", "--admin", "ftp://127.0.0.1:8080");
        assertThat(notHttp.exitCode()).isEqualTo(1);
        assertThat(notHttp.err()).contains("--admin must be an http(s) URL");
    }
}
