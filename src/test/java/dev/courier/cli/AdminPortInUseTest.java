package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * A second {@code courier run} on a host whose admin port is taken says which setting to change (issue 22, "Also").
 * The port is taken by the test itself; Kafka is never reached (the admin server starts first).
 */
class AdminPortInUseTest {

    @Test
    void anAdminPortInUseIsAnErrorThatNamesTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Cli.Run run = Cli.run("run", "-Dcourier.admin.bind=127.0.0.1",
                    "-Dcourier.admin.port=" + taken.getLocalPort(), "-Dkafka.bootstrap.servers=127.0.0.1:1",
                    "-Dcourier.connect-timeout=2s", "-Dcourier.status.enabled=false");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("127.0.0.1:" + taken.getLocalPort() + " is in use")
                    .contains("set courier.admin.port to a free port");
        }
    }
}
