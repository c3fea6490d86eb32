package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Only the commands that use a secret read it (issue 22, "Also"): a file shared between a laptop and the service
 * names a target whose secret is the service's; {@code topics create}, {@code produce}, {@code consume} and
 * {@code replay} never call a target, so they start without it, and {@code run} still refuses to start without it,
 * naming the key. Kafka is not there (port 1), so every command ends on that, or on the secret.
 */
class SecretsWhereUsedTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("COURIER_COURIER_CONNECT_TIMEOUT", "2s");
    private static final List<String> SHARED_FILE = List.of("-Dkafka.bootstrap.servers=127.0.0.1:1",
            "-Dcourier.targets.payments.base-url=https://payments.example.com",
            "-Dcourier.targets.payments.auth=bearer",
            "-Dcourier.targets.payments.auth-secret=${env:PAYMENTS_TOKEN_ONLY_THE_SERVICE_HAS}",
            "-Dcourier.targets.payments.headers.X-Tenant=${file:/nonexistent/tenant}",
            "-Dcourier.targets.ledger.base-url=https://ledger.example.com",
            "-Dcourier.targets.ledger.auth=oauth2",
            "-Dcourier.targets.ledger.oauth2.token-url=https://login.example.com/oauth/token",
            "-Dcourier.targets.ledger.oauth2.client-id=${env:LEDGER_CLIENT_ONLY_THE_SERVICE_HAS}",
            "-Dcourier.targets.ledger.oauth2.client-secret=${env:LEDGER_SECRET_ONLY_THE_SERVICE_HAS}",
            "-Dcourier.targets.hooks.base-url=https://hooks.example.com",
            "-Dcourier.targets.hooks.signing=standard-webhooks",
            "-Dcourier.targets.hooks.signing.secret=${file:/nonexistent/whsec}");

    @Test
    void commandsThatCallNoTargetStartWithoutItsSecret() {
        for (List<String> command : List.of(List.of("topics", "create"), List.of("consume", "--topic", "results",
                "--max", "1", "--timeout", "1s"), List.of("replay", "--dry-run"), List.of("produce"))) {
            Cli.Run run = run(command);

            assertThat(run.err()).as("%s", command).doesNotContain("PAYMENTS_TOKEN_ONLY_THE_SERVICE_HAS")
                    .doesNotContain("/nonexistent/tenant").doesNotContain("LEDGER_SECRET_ONLY_THE_SERVICE_HAS")
                    .doesNotContain("/nonexistent/whsec").contains("127.0.0.1:1");
        }
    }

    @Test
    void runRefusesToStartWithoutTheSecretNamingTheKey() {
        Cli.Run run = run(List.of("run"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("courier.targets.payments.auth-secret")
                .contains("PAYMENTS_TOKEN_ONLY_THE_SERVICE_HAS").contains("courier.targets.payments.headers.X-Tenant")
                .contains("courier.targets.ledger.oauth2.client-secret").contains("courier.targets.ledger.oauth2.client-id")
                .contains("courier.targets.hooks.signing.secret");
    }

    private static Cli.Run run(List<String> command) {
        List<String> args = new java.util.ArrayList<>(command);
        args.addAll(SHARED_FILE);
        return Cli.runWithEnvironment(ENVIRONMENT, "{\"id\":\"a\",\"method\":\"GET\",\"target\":\"payments\"}\n",
                args.toArray(String[]::new));
    }
}
