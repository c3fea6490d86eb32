package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Secret;
import dev.courier.ops.AdminResponse;
import dev.courier.ops.AdminServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
