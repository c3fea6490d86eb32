package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalSandboxIT {

    @Test
    void startsABrokerAndARegistryTogetherAndClosesBoth(@TempDir Path dataDir) throws Exception {
        LocalSandbox sandbox = LocalSandbox.start(LocalSandbox.Options.defaults().withDataDir(dataDir));
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            assertThat(get(sandbox, "/subjects").statusCode()).isEqualTo(200);
            assertThat(sandbox.kafka().dataDir()).isEqualTo(dataDir.toAbsolutePath());
        } finally {
            sandbox.close();
        }

        assertThat(sandbox.kafka().isRunning()).isFalse();
        assertThat(LoopbackPorts.isFree(sandbox.registryUrl().getPort())).isTrue();
        sandbox.close();
    }

    @Test
    void whenTheBrokerCannotStartTheRegistryIsClosedAgain() throws Exception {
        int registryPort = LoopbackPorts.freePort();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            LocalSandbox.Options options = LocalSandbox.Options.defaults()
                    .withKafkaPort(taken.getLocalPort())
                    .withRegistryPort(registryPort);

            assertThatThrownBy(() -> LocalSandbox.start(options))
                    .isInstanceOf(SandboxStartupException.class)
                    .hasMessageStartingWith("port " + taken.getLocalPort() + " is already in use");
        }
        assertThat(LoopbackPorts.isFree(registryPort)).isTrue();
    }

    private static HttpResponse<String> get(LocalSandbox sandbox, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(sandbox.registryUrl().resolve(path)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
