package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.CidrSet;
import dev.courier.config.Secret;
import dev.courier.ops.AdminResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forwarding {@code GET /requests/{id}} carries the admin token, so it goes only to peers in
 * {@code courier.status.peers}, never through the JVM's proxy, and reads at most a small answer. Kafka Streams
 * metadata says where an id lives, and any principal that can join the status group can advertise an address of its
 * own. Peers listen on 127.0.0.1; the address outside the peers is 127.0.0.2, where a listener counts connections.
 */
@Timeout(30)
class HttpForwarderTest {

    private static final Secret TOKEN = new Secret("s3cret-admin-token");
    private static final CidrSet LOOPBACK_ONE = CidrSet.parse("127.0.0.1/32");

    private final MockWebServer peer = new MockWebServer();
    private Listener outsider;
    private final Map<String, String> savedProperties = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        peer.start(InetAddress.getByName("127.0.0.1"), 0);
        outsider = new Listener(InetAddress.getByName("127.0.0.2"));
    }

    @AfterEach
    void stop() throws IOException {
        savedProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        peer.close();
        outsider.close();
    }

    private HttpForwarder forwarder(CidrSet peers) {
        return new HttpForwarder(TOKEN, peers, HttpForwarderTest::resolve);
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "peer.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "outsider.test" -> List.of(InetAddress.getByName("127.0.0.2"));
            default -> throw new UnknownHostException(host);
        };
    }

    @Test
    void aPeerInsideThePeersIsAskedWithTheToken() throws Exception {
        peer.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"id\":\"r-1\"}").build());

        AdminResponse response = forwarder(LOOPBACK_ONE).forward("127.0.0.1", peer.getPort(), "/local/requests/r-1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"r-1\"}");
        RecordedRequest request = peer.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN.value());
        assertThat(request.getUrl().encodedPath()).isEqualTo("/local/requests/r-1");
    }

    @Test
    void anAddressOutsideThePeersIsNotSentTheToken() {
        AdminResponse response = forwarder(LOOPBACK_ONE).forward("127.0.0.2", outsider.port(), "/local/requests/r-1");

        assertThat(response.status()).isEqualTo(502);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("127.0.0.2", "courier.status.peers").doesNotContain(TOKEN.value());
        assertThat(outsider.accepted()).as("connections to the address outside the peers").isZero();
    }

    @Test
    void aNameIsJudgedByItsAddressesAndCalledAtTheAddressJudged() throws Exception {
        peer.enqueue(new MockResponse.Builder().code(200).body("{}").build());

        assertThat(forwarder(LOOPBACK_ONE).forward("outsider.test", outsider.port(), "/local/requests/r-1").status())
                .isEqualTo(502);
        assertThat(forwarder(LOOPBACK_ONE).forward("peer.test", peer.getPort(), "/local/requests/r-1").status())
                .isEqualTo(200);
        assertThat(outsider.accepted()).isZero();
    }

    @Test
    void theJvmsProxyIsNotUsed() throws Exception {
        for (String name : List.of("http.proxyHost", "http.proxyPort", "http.nonProxyHosts")) {
            savedProperties.put(name, System.getProperty(name));
        }
        try (Listener proxy = new Listener(InetAddress.getByName("127.0.0.1"))) {
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", String.valueOf(proxy.port()));
            System.setProperty("http.nonProxyHosts", "");
            peer.enqueue(new MockResponse.Builder().code(200).body("{}").build());

            AdminResponse response = forwarder(LOOPBACK_ONE).forward("127.0.0.1", peer.getPort(), "/local/requests/r");

            assertThat(proxy.accepted()).as("connections to the JVM's proxy").isZero();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void anAnswerOverTheCapIsRefusedWithoutReadingItAll() {
        peer.enqueue(new MockResponse.Builder().code(200).body("x".repeat(HttpForwarder.MAX_BODY_BYTES + 1)).build());

        AdminResponse response = forwarder(LOOPBACK_ONE).forward("127.0.0.1", peer.getPort(), "/local/requests/r-1");

        assertThat(response.status()).isEqualTo(502);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("more than");
    }

    @Test
    void anAnswerThatStallsEndsAtTheTimeout() {
        peer.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"r-1\"}")
                .throttleBody(1, 1, TimeUnit.SECONDS).build());

        long start = System.nanoTime();
        AdminResponse response = forwarder(LOOPBACK_ONE).forward("127.0.0.1", peer.getPort(), "/local/requests/r-1");

        assertThat(response.status()).isEqualTo(502);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms")
                .isLessThan(HttpForwarder.TIMEOUT.toMillis() + 5_000);
    }

    @Test
    void byDefaultThePeersAreTheAdminBindAddressesNetwork() {
        CidrSet loopback = HttpForwarder.defaultPeers("127.0.0.1");
        assertThat(loopback.contains(address("127.0.0.1"))).isTrue();
        assertThat(loopback.contains(address("127.0.0.9"))).as("127.0.0.1's network is 127.0.0.0/8").isTrue();
        assertThat(loopback.contains(address("10.0.0.1"))).isFalse();
        assertThat(loopback.contains(address("93.184.216.34"))).isFalse();

        CidrSet everyInterface = HttpForwarder.defaultPeers("0.0.0.0");
        assertThat(everyInterface.contains(address("127.0.0.1"))).as("the loopback interface's network").isTrue();
        assertThat(everyInterface.contains(address("93.184.216.34"))).isFalse();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A listener that counts the connections it accepts and closes each at once. */
    private static final class Listener implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket();
        private final AtomicInteger accepted = new AtomicInteger();

        Listener(InetAddress address) throws IOException {
            socket.bind(new InetSocketAddress(address, 0));
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "forwarder-test-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
