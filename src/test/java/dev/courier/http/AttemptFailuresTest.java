package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Failure.Kind;
import dev.courier.model.Bytes;
import dev.courier.model.HttpMethod;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way an attempt can fail, told apart by whether the request may have reached the server. */
@Timeout(20)
class AttemptFailuresTest {

    private final MockWebServer server = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        caller = caller(settings());
    }

    @AfterEach
    void stop() {
        caller.close();
        server.close();
    }

    private static OkHttpCaller caller(SettingsBuilder settings) {
        return Callers.onLoopback(settings.build(), Clock.systemUTC(), 4);
    }

    private void use(SettingsBuilder settings) {
        caller.close();
        caller = caller(settings);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    private static Failure failure(AttemptResult result) {
        assertThat(result).isInstanceOf(Failure.class);
        return (Failure) result;
    }

    @Test
    void aRefusedConnectionIsNotSent() throws IOException {
        int port = closedPort();

        Failure failure = failure(caller.call(get(URI.create("http://127.0.0.1:" + port + "/")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("connection refused by 127.0.0.1:" + port);
    }

    @Test
    void anUnknownHostIsNotSent() {
        Failure failure = failure(caller.call(get(URI.create("http://api.courier-test.invalid/")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
        assertThat(failure.message()).isEqualTo("unknown host api.courier-test.invalid");
    }

    @Test
    void aConnectTimeoutIsNotSent() throws IOException {
        use(settings().connectTimeout(Duration.ofMillis(300)));
        try (ServerSocket unaccepting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Backlog backlog = Backlog.fill(unaccepting)) {
            Failure failure = failure(caller.call(
                    get(URI.create("http://127.0.0.1:" + unaccepting.getLocalPort() + "/")).build(), 1));

            assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
            assertThat(failure.message()).isEqualTo("could not connect to 127.0.0.1:" + unaccepting.getLocalPort()
                    + " within 300 ms (connect timeout)");
        }
    }

    @Test
    void aFailedTlsHandshakeIsNotSent() throws Exception {
        try (OneConnectionServer plainText = OneConnectionServer.start(socket -> {
            readTlsRecord(socket); // the client hello; left unread, the close would be a reset instead
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            Failure failure = failure(caller.call(
                    get(URI.create("https://127.0.0.1:" + plainText.port() + "/")).build(), 1));

            plainText.awaitServed();
            assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
            assertThat(failure.message()).startsWith("TLS handshake with 127.0.0.1:" + plainText.port() + " failed: ");
        }
    }

    @Test
    void aStalledTlsHandshakeEndsAtTheReadTimeoutNotTheConnectTimeout() throws Exception {
        use(settings().connectTimeout(Duration.ofMillis(200)).readTimeout(Duration.ofMillis(500)));
        try (OneConnectionServer silent = OneConnectionServer.start(socket -> {
            while (socket.getInputStream().read() != -1) {
                // take the client hello, answer nothing, until the client hangs up
            }
        })) {
            URI url = URI.create("https://127.0.0.1:" + silent.port() + "/");

            Failure failure = failure(caller.call(get(url).build(), 1));

            silent.awaitServed();
            assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
            assertThat(failure.message()).isEqualTo(
                    "TLS handshake with 127.0.0.1:" + silent.port() + " timed out after 500 ms (read timeout)");
            assertThat(failure.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void aRequestOkHttpCannotMakeIsInvalid() {
        Failure failure = failure(caller.call(get(url("/")).header("X-Bad", "line\nbreak").build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.INVALID);
        assertThat(failure.message()).startsWith("cannot make the request: Unexpected char 0x0a");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aReadTimeoutMayHaveBeenDelivered() {
        use(settings().readTimeout(Duration.ofMillis(300)));
        server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).build());

        Failure failure = failure(caller.call(request(HttpMethod.POST, url("/slow")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(failure.message()).isEqualTo("no response within 300 ms (read timeout)");
    }

    @Test
    void anEventsShorterTimeoutEndsTheAttempt() {
        server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).build());

        Failure failure = failure(caller.call(get(url("/slow")).timeout(Duration.ofMillis(300)).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(failure.message()).isEqualTo("call timed out after 300 ms");
        assertThat(failure.latency()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
    }

    @Test
    void anEventsTimeoutAboveTheMaximumIsCutToIt() {
        use(settings().callTimeout(Duration.ofMillis(300), Duration.ofMillis(400)));
        server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).build());

        Failure failure = failure(caller.call(get(url("/slow")).timeout(Duration.ofMinutes(1)).build(), 1));

        assertThat(failure.message()).isEqualTo("call timed out after 400 ms");
        assertThat(failure.latency()).isBetween(Duration.ofMillis(400), Duration.ofSeconds(2));
    }

    @Test
    void withoutAnEventTimeoutTheConfiguredCallTimeoutApplies() {
        use(settings().callTimeout(Duration.ofMillis(300), Duration.ofSeconds(5)));
        server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).build());

        Failure failure = failure(caller.call(get(url("/slow")).build(), 1));

        assertThat(failure.message()).isEqualTo("call timed out after 300 ms");
    }

    @Test
    void aResetAfterTheRequestWasSentMayHaveBeenDelivered() throws Exception {
        try (OneConnectionServer resetting = OneConnectionServer.start(socket -> {
            assertThat(OneConnectionServer.readHead(socket)).startsWith("GET / HTTP/1.1");
            socket.setSoLinger(true, 0); // closing now sends a TCP reset
        })) {
            Failure failure = failure(caller.call(
                    get(URI.create("http://127.0.0.1:" + resetting.port() + "/")).build(), 1));

            resetting.awaitServed();
            assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
            assertThat(failure.message()).isEqualTo("connection reset after the request was sent");
        }
    }

    @Test
    void aServerThatClosesInsteadOfAnsweringMayHaveActed() {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        Failure failure = failure(caller.call(request(HttpMethod.POST, url("/pay")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(failure.message()).isEqualTo("the server closed the connection without a response");
    }

    @Test
    void aServerThatClosesBeforeReadingTheRequestLooksTheSameToTheClient() {
        // OkHttp has written the request before it finds the connection closed (an EOF, or a reset when the
        // server closed with the request unread): it cannot tell this from a server that read the request,
        // acted on it and closed, so neither can Courier.
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());

        Failure failure = failure(caller.call(request(HttpMethod.POST, url("/pay")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(failure.message()).isIn("the server closed the connection without a response",
                "connection reset after the request was sent");
    }

    @Test
    void aConnectionClosedInTheMiddleOfTheBodyMayHaveBeenDelivered() {
        server.enqueue(new MockResponse.Builder()
                .body("a body that will not arrive whole")
                .onResponseBody(new SocketEffect.CloseSocket())
                .build());

        Failure failure = failure(caller.call(get(url("/partial")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(failure.message()).isEqualTo("the server closed the connection in the middle of the response body");
    }

    @Test
    void aFailedRequestIsNotRepeatedOnAFreshConnection() {
        // The server closes the kept-alive connection after the first response. OkHttp would silently send
        // the second request again on a new connection if it were allowed to retry.
        server.enqueue(new MockResponse.Builder().body("first").onResponseEnd(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().body("would be the silent retry").build());
        caller.call(get(url("/first")).build(), 1);

        Failure failure = failure(caller.call(get(url("/second")).build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        assertThat(server.getRequestCount()).as("requests the server read").isEqualTo(1);
    }

    @Test
    void aConnectionLostWhileSendingABodyMayHaveBeenDelivered() {
        server.enqueue(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket()).build());
        use(settings().maxRequestBytes(8 << 20));

        Failure failure = failure(caller.call(request(HttpMethod.PUT, url("/upload"))
                .body(Bytes.wrap(new byte[8 << 20]), "application/octet-stream").build(), 1));

        assertThat(failure.kind()).isEqualTo(Kind.MAYBE_DELIVERED);
        // Which error OkHttp sees depends on how much of the body the socket buffers took before the
        // server's close arrived: a broken pipe while writing, or the end of the stream after it.
        assertThat(failure.message()).isIn("the connection broke while the request was being sent",
                "the server closed the connection while the request was being sent",
                "the server closed the connection without a response");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void readTlsRecord(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[5]; // content type, version, length
        in.readFully(header);
        in.readFully(new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)]);
    }

    /**
     * Fills a listening socket's accept queue, which nothing accepts, so the kernel drops the next
     * connection attempt's SYN and that attempt times out.
     */
    private static final class Backlog implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();

        static Backlog fill(ServerSocket unaccepting) throws IOException {
            Backlog backlog = new Backlog();
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), unaccepting.getLocalPort()),
                            200);
                    backlog.sockets.add(socket);
                } catch (SocketTimeoutException full) {
                    socket.close();
                    return backlog;
                }
            }
            backlog.close();
            throw new IllegalStateException("the accept queue never filled");
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
