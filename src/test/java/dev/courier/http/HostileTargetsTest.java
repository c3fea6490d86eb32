package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Targets that misbehave on purpose: each event ends within its timeouts, with the outcome a user would expect, and
 * what Courier reads of it stays bounded (the servers count what they wrote before Courier let go). One attempt per
 * event, so the category shows what the attempt ended as; call timeout 2 s, read timeout 1 s, bodies capped at
 * 64 KiB. All servers on 127.0.0.1.
 */
@Timeout(60)
class HostileTargetsTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final long CAP = 64 * 1024;

    private final MockWebServer server = new MockWebServer();
    private Dispatcher<String> dispatcher;
    private final Map<String, CompletableFuture<Outcome>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "courier.egress.allow-cidrs", "127.0.0.1/32",
                "courier.egress.allowed-ports", "1024-65535",
                "courier.http.call-timeout", "2s",
                "courier.http.read-timeout", "1s",
                "courier.http.max-response-bytes", "64KiB",
                "courier.http.follow-redirects", "true",
                "courier.retry.max-attempts", "1",
                "courier.workers", "2")));
        OkHttpCaller caller = OkHttpCaller.builder(settings.http()).egress(settings.egress()).resolver(Callers.NO_DNS)
                .concurrency(2).build();
        dispatcher = Dispatcher.start(settings, caller, (id, request, outcome) ->
                outcomes.computeIfAbsent(id, key -> new CompletableFuture<>()).complete(outcome), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        server.close();
    }

    /** Dispatches a GET of {@code url} and returns its outcome and how long it took. */
    private Timed dispatch(String url) throws Exception {
        String id = "hostile-" + outcomes.size();
        CompletableFuture<Outcome> outcome = outcomes.computeIfAbsent(id, key -> new CompletableFuture<>());
        long started = System.nanoTime();
        dispatcher.submit(new DispatchRequest(id, HttpMethod.GET, URI.create(url), null, Map.of(), null, null, null,
                null, null, null, null, "hostile", Map.of()), null, id);
        Outcome result = outcome.get(30, TimeUnit.SECONDS);
        return new Timed(result, Duration.ofNanos(System.nanoTime() - started));
    }

    private record Timed(Outcome outcome, Duration took) {
        Outcome.DeadLetter deadLetter(FailureCategory category) {
            assertThat(outcome).isInstanceOf(Outcome.DeadLetter.class);
            Outcome.DeadLetter deadLetter = (Outcome.DeadLetter) outcome;
            assertThat(deadLetter.category()).as(deadLetter.message()).isEqualTo(category);
            return deadLetter;
        }
    }

    @Test
    void aBodyDrippedByteByByteEndsAtTheCallTimeout() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(100_000))
                .throttleBody(1, 100, TimeUnit.MILLISECONDS).build());
        server.start(InetAddress.getByName("127.0.0.1"), 0);

        Timed timed = dispatch(server.url("/drip").toString());

        assertThat(timed.deadLetter(FailureCategory.RETRIES_EXHAUSTED).message())
                .contains("call timed out after 2000 ms while reading the response body");
        assertThat(timed.took()).isBetween(CALL_TIMEOUT.minusMillis(100), CALL_TIMEOUT.plusSeconds(3));
    }

    @Test
    void anEndlessBodyIsCutAtTheCapAndTheRestIsNotRead() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawServer endless = RawServer.start(socket -> {
            OneConnectionServer.readHead(socket);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) 'x');
            while (written.get() < (1L << 30)) { // a gigabyte, unless Courier stops reading
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        })) {
            Timed timed = dispatch("http://127.0.0.1:" + endless.port() + "/endless");

            assertThat(timed.outcome()).isInstanceOfSatisfying(Outcome.Result.class, result -> {
                assertThat(result.status()).isEqualTo(200);
                assertThat(result.bodyTruncated()).isTrue();
                assertThat((long) result.body().length()).isEqualTo(CAP);
            });
            assertThat(timed.took()).isLessThan(CALL_TIMEOUT.plusSeconds(3));
        }
        assertThat(written.get()).as("bytes the server got out before Courier closed the connection")
                .isLessThan(16L << 20);
    }

    @Test
    void aMegabyteOfResponseHeadersIsRefusedAtTheClientsLimit() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawServer headers = RawServer.start(socket -> {
            // the request is read first: closing with it unread would reset the connection before the client
            // reached its limit
            OneConnectionServer.readHead(socket);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            String line = "X-Pad: " + "p".repeat(1016) + "\r\n";
            for (int i = 0; i < 1024; i++) {
                out.write(line.getBytes(StandardCharsets.US_ASCII));
                written.addAndGet(line.length());
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            Timed timed = dispatch("http://127.0.0.1:" + headers.port() + "/headers");

            assertThat(timed.deadLetter(FailureCategory.RETRIES_EXHAUSTED).message())
                    .contains("over the HTTP client's limit of 256 KiB");
            assertThat(timed.took()).isLessThan(CALL_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void aConnectionResetAfterTheRequestEndsTheAttempt() throws Exception {
        try (RawServer reset = RawServer.start(socket -> {
            OneConnectionServer.readHead(socket);
            socket.setSoLinger(true, 0);
            socket.close();
        })) {
            Timed timed = dispatch("http://127.0.0.1:" + reset.port() + "/reset");

            assertThat(timed.deadLetter(FailureCategory.RETRIES_EXHAUSTED).message())
                    .containsAnyOf("connection reset after the request was sent",
                            "the server closed the connection without a response");
            assertThat(timed.took()).isLessThan(CALL_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void aTlsHandshakeWithAnUntrustedCertificateFailsWithoutSending() throws Exception {
        HeldCertificate selfSigned = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(selfSigned).build().sslSocketFactory());
        server.start(InetAddress.getByName("127.0.0.1"), 0);

        Timed timed = dispatch(server.url("/tls").toString());

        assertThat(timed.deadLetter(FailureCategory.RETRIES_EXHAUSTED).message()).contains("TLS handshake with");
        assertThat(server.getRequestCount()).isZero();
        assertThat(timed.took()).isLessThan(CALL_TIMEOUT.plusSeconds(3));
    }

    @Test
    void aRedirectLoopStopsAtMaxRedirectsWithTheRedirectAsTheAnswer() throws Exception {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return new MockResponse.Builder().code(302).addHeader("Location", "/again").build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);

        Timed timed = dispatch(server.url("/again").toString());

        Outcome.DeadLetter deadLetter = timed.deadLetter(FailureCategory.HTTP_UNEXPECTED_STATUS);
        assertThat(deadLetter.lastStatus()).isEqualTo(302);
        assertThat(server.getRequestCount()).as("the request and 5 redirects").isEqualTo(6);
        assertThat(timed.took()).isLessThan(CALL_TIMEOUT.plusSeconds(3));
    }

    /** A TCP server on 127.0.0.1 that runs {@code handler} on each connection, on a thread of its own. */
    private static final class RawServer implements AutoCloseable {

        interface Handler {
            void handle(Socket socket) throws IOException;
        }

        private final ServerSocket listener;

        private RawServer(ServerSocket listener, Handler handler) {
            this.listener = listener;
            Thread thread = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        socket.setSoTimeout(10_000);
                        handler.handle(socket);
                    } catch (IOException e) {
                        // the client let go, or the listener closed
                    }
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        static RawServer start(Handler handler) throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return new RawServer(listener, handler);
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
