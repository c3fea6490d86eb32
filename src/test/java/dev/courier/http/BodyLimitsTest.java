package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure.Kind;
import dev.courier.model.Bytes;
import dev.courier.model.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request bodies over the limit are not sent; response bodies are kept up to the cap and no further. */
@Timeout(20)
class BodyLimitsTest {

    private static final int CAP = 1024;

    private final MockWebServer server = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        caller = Callers.onLoopback(settings().maxRequestBytes(CAP).maxResponseBytes(CAP).build(),
                Clock.systemUTC(), 4);
    }

    @AfterEach
    void stop() {
        caller.close();
        server.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    @Test
    void aBodyOverTheCapIsCutToTheCapAndMarkedTruncated() {
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(bytes(CAP + 1, 'x'))).build());

        AttemptResult result = caller.call(get(url("/big")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.body()).isEqualTo(Bytes.wrap(bytes(CAP, 'x')));
            assertThat(response.bodyTruncated()).isTrue();
        });
    }

    @Test
    void aBodyExactlyAtTheCapIsWhole() {
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(bytes(CAP, 'x'))).build());

        AttemptResult result = caller.call(get(url("/exact")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.body().length()).isEqualTo(CAP);
            assertThat(response.bodyTruncated()).isFalse();
        });
    }

    @Test
    void aGzippedBodyIsCappedAfterDecompression() throws Exception {
        byte[] plain = bytes(20 * CAP, 'z');
        byte[] compressed = gzip(plain);
        assertThat(compressed.length).as("the compressed body fits the cap").isLessThan(CAP);
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(compressed))
                .build());

        AttemptResult result = caller.call(get(url("/zipped")).build(), 1);

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.body()).isEqualTo(Bytes.wrap(bytes(CAP, 'z')));
            assertThat(response.bodyTruncated()).isTrue();
            assertThat(response.header("Content-Encoding")).as("decompressed").isNull();
        });
    }

    @Test
    void anEndlessBodyCostsTheCapNotTheTimeouts() {
        server.enqueue(new MockResponse.Builder()
                .body(new EndlessBody())
                .removeHeader("Content-Length") // the body runs until the connection closes
                .throttleBody(8 * 1024, 10, TimeUnit.MILLISECONDS)
                .build());

        AttemptResult result = caller.call(get(url("/stream")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.body().length()).isEqualTo(CAP);
            assertThat(response.bodyTruncated()).isTrue();
            assertThat(response.latency()).as("well under the 5 s read and 8 s call timeouts")
                    .isLessThan(Duration.ofSeconds(2));
        });
    }

    @Test
    void aRequestBodyOverTheLimitIsInvalidAndNotSent() {
        AttemptResult result = caller.call(request(HttpMethod.POST, url("/upload"))
                .body(Bytes.wrap(bytes(CAP + 1, 'u')), "text/plain").build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.INVALID);
            assertThat(failure.message())
                    .isEqualTo("request body is 1025 bytes; the limit is 1024 (courier.http.max-request-bytes)");
        });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRequestBodyAtTheLimitIsSent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).build());

        AttemptResult result = caller.call(
                request(HttpMethod.POST, url("/upload")).body(Bytes.wrap(bytes(CAP, 'u')), "text/plain").build(), 1);

        assertThat(result).isInstanceOf(AttemptResult.Response.class);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBodySize()).isEqualTo(CAP);
    }

    private static byte[] bytes(int length, char fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    /** Writes until the client hangs up. */
    private static final class EndlessBody implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] chunk = bytes(1024, 'e');
            while (true) {
                sink.write(chunk);
                sink.flush();
            }
        }
    }
}
