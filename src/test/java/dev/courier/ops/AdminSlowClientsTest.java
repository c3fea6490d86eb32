package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that open connections and send a request slowly, or not at all, or never read the answer, do not keep the
 * health probes from answering: Kubernetes restarts a pod whose liveness probe times out. The one bound asserted on
 * time is the requirement itself, generously: {@code /health/live} answers within 1 s beside 50 stalled sockets.
 */
@Timeout(60)
class AdminSlowClientsTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Socket> stalled = new ArrayList<>();
    private final Health health = new Health();
    private AdminServer server;

    @AfterEach
    void close() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        server = AdminServer.start("127.0.0.1", 0, null);
        health.serveOn(server);
    }

    /**
     * Opens {@code count} connections that each send {@code bytes} of a request and then nothing. Each connect may
     * take up to 10 s: on a busy machine the server's accept queue (128) can fill while its one IO thread waits for a
     * core; what the tests assert is the probe's answer beside them, not how fast the stalled clients got in.
     */
    private void stall(int count, String bytes) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            stalled.add(socket);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
    }

    /** GET /health/live with a 1 s timeout: the probe's status, or 0 when it did not answer in time. */
    private int probe() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return 0;
        }
    }

    @Test
    void theLiveProbeAnswersWithinASecondBesideFiftyStalledSockets() throws Exception {
        start();
        stall(50, "G");

        assertThat(probe()).as("/health/live beside 50 sockets that sent one byte").isEqualTo(200);
    }

    @Test
    void theLiveProbeAnswersBesideMoreStalledSocketsThanTheServerKeepsOpen() throws Exception {
        start();
        stall(300, "GET /health/live HTTP/1.1\r\nHost: x\r\n");

        assertThat(probe()).as("/health/live beside 300 sockets that never end their request head").isEqualTo(200);
    }

    @Test
    void theLiveProbeAnswersBesideClientsThatDoNotReadWhatTheyAskedFor() throws Exception {
        start();
        // A scrape of a large answer that is never read fills the socket buffers; the server must not wait on it.
        server.route("/big", AdminServer.Access.OPEN, path -> new AdminResponse(200, "text/plain",
                new byte[8 * 1024 * 1024]));
        stall(8, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(probe()).isEqualTo(200);
    }

    @Test
    void aRequestHeadThatDoesNotEndInTimeIsClosed() throws Exception {
        server = AdminServer.start("127.0.0.1", 0, null, new AdminServer.Limits(Duration.ofMillis(300),
                Duration.ofSeconds(5), AdminServer.Limits.DEFAULTS.maxConnections(),
                AdminServer.Limits.DEFAULTS.maxHeadBytes()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);

            String answer = readAll(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void aRequestHeadOverTheLimitIsRefused() throws Exception {
        start();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health/live HTTP/1.1\r\nX-Filler: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 431 ");
        } catch (java.net.SocketException e) {
            // the server may close before the whole head is written: refused either way
            assertThat(e.getMessage()).containsAnyOf("reset", "Broken pipe");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return "(no answer within the socket timeout)";
        }
    }
}
