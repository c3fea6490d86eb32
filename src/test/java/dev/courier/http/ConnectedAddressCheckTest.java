package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.config.CidrSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The second line on its own: with a {@code Dns} that lets every address through, the network interceptor still
 * keeps the request from going to a denied address it connected to. (The connection itself is made, to 127.0.0.2
 * on this machine: that is what the first line, {@link PolicyDns}, prevents.)
 */
@Timeout(20)
class ConnectedAddressCheckTest {

    private final MockWebServer server = new MockWebServer();
    private OkHttpClient client;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.2"), 0);
        client = new OkHttpClient.Builder()
                .dns(host -> List.of(InetAddress.getByName("127.0.0.2")))
                .addNetworkInterceptor(new ConnectedAddressCheck(new AddressPolicy(CidrSet.parse("127.0.0.1/32"), Set::of)))
                .build();
    }

    @AfterEach
    void stop() {
        client.connectionPool().evictAll();
        server.close();
    }

    @Test
    void aRequestOnAConnectionToADeniedAddressIsNotSent() {
        server.enqueue(new MockResponse.Builder().code(200).build());

        assertThatThrownBy(() -> client.newCall(new Request.Builder()
                .url("http://rebound.test:" + server.getPort() + "/secret").build()).execute())
                .isInstanceOf(EgressRefusedException.class)
                .hasMessageContaining("the connection reached 127.0.0.2 is in 127.0.0.0/8");
        assertThat(server.getRequestCount()).as("requests that reached the denied address").isZero();
    }

    @Test
    void anAddressTheResolverDidNotVetIsCheckedEvenWhenOthersWere() {
        AddressPolicy policy = new AddressPolicy(CidrSet.parse("127.0.0.1/32"), Set::of);
        assertThat(policy.refusal(address("127.0.0.1"))).as("vetted, as PolicyDns vets what it returns").isNull();
        OkHttpClient checked = new OkHttpClient.Builder()
                .dns(host -> List.of(InetAddress.getByName("127.0.0.2")))
                .addNetworkInterceptor(new ConnectedAddressCheck(policy))
                .build();
        server.enqueue(new MockResponse.Builder().code(200).build());

        assertThatThrownBy(() -> checked.newCall(new Request.Builder()
                .url("http://unvetted.test:" + server.getPort() + "/").build()).execute())
                .isInstanceOf(EgressRefusedException.class)
                .hasMessageContaining("the connection reached 127.0.0.2 is in 127.0.0.0/8");
        assertThat(server.getRequestCount()).isZero();
        checked.connectionPool().evictAll();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Test
    void aRequestOnAConnectionToAnAllowedAddressGoesThrough() throws Exception {
        OkHttpClient allowing = new OkHttpClient.Builder()
                .dns(host -> List.of(InetAddress.getByName("127.0.0.2")))
                .addNetworkInterceptor(new ConnectedAddressCheck(new AddressPolicy(CidrSet.parse("127.0.0.2/32"), Set::of)))
                .build();
        server.enqueue(new MockResponse.Builder().code(200).body("ok").build());

        try (Response response = allowing.newCall(new Request.Builder()
                .url("http://allowed.test:" + server.getPort() + "/").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
