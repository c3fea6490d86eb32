package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.RequestBuilder.request;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult;
import dev.courier.model.Bytes;
import dev.courier.model.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What goes out and what comes back when the target answers. */
@Timeout(20)
class OkHttpCallerTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final MockWebServer server = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        caller = Callers.onLoopback(settings().build(), CLOCK, 4);
    }

    @AfterEach
    void stop() {
        caller.close();
        server.close();
    }

    private URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getPort() + pathAndQuery);
    }

    private RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded).as("a request reached the server").isNotNull();
        return recorded;
    }

    @Test
    void theRequestArrivesAsSentAndTheResponseComesBackWhole() throws Exception {
        AtomicLong nanos = new AtomicLong(1_000);
        caller.close();
        caller = Callers.onLoopback(settings().build(), CLOCK, () -> nanos.addAndGet(7_000_000), 4);
        server.enqueue(new MockResponse.Builder()
                .code(201)
                .addHeader("Content-Type", "application/json")
                .addHeader("Link", "<a>")
                .addHeader("Link", "<b>")
                .body("{\"ok\":true}")
                .build());

        AttemptResult result = caller.call(request(HttpMethod.POST, url("/orders/7?expand=lines&q=a%20b"))
                .header("X-Trace", "abc")
                .body(Bytes.utf8("{\"qty\":3}"), "application/json; charset=utf-8")
                .build(), 1);

        RecordedRequest recorded = takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getTarget()).isEqualTo("/orders/7?expand=lines&q=a%20b");
        assertThat(recorded.getHeaders().get("X-Trace")).isEqualTo("abc");
        assertThat(recorded.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(recorded.getBody().utf8()).isEqualTo("{\"qty\":3}");
        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.header("Link")).isEqualTo("<a>, <b>");
            assertThat(response.body()).isEqualTo(Bytes.utf8("{\"ok\":true}"));
            assertThat(response.bodyTruncated()).isFalse();
            assertThat(response.startedAt()).isEqualTo(NOW);
            assertThat(response.latency()).as("from the injected nano source").isEqualTo(Duration.ofMillis(7));
        });
    }

    @Test
    void aGetCarriesNoBody() throws Exception {
        server.enqueue(new MockResponse.Builder().body("fine").build());

        AttemptResult result = caller.call(get(url("/items")).build(), 1);

        RecordedRequest recorded = takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getBodySize()).isZero();
        assertThat(recorded.getHeaders().get("Content-Length")).isNull();
        assertThat(result).isInstanceOf(AttemptResult.Response.class);
    }

    @Test
    void postPutAndPatchSendTheirBodies() throws Exception {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH}) {
            server.enqueue(new MockResponse.Builder().code(204).build());

            caller.call(request(method, url("/items")).body(Bytes.utf8("name=" + method), "text/plain").build(), 1);

            RecordedRequest recorded = takeRequest();
            assertThat(recorded.getMethod()).isEqualTo(method.name());
            assertThat(recorded.getBody().utf8()).isEqualTo("name=" + method);
            assertThat(recorded.getHeaders().get("Content-Type")).isEqualTo("text/plain");
        }
    }

    @Test
    void postPutAndPatchWithoutABodySendAnEmptyOne() throws Exception {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH}) {
            server.enqueue(new MockResponse.Builder().code(204).build());

            AttemptResult result = caller.call(request(method, url("/items")).build(), 1);

            assertThat(result).isInstanceOf(AttemptResult.Response.class);
            RecordedRequest recorded = takeRequest();
            assertThat(recorded.getMethod()).isEqualTo(method.name());
            assertThat(recorded.getHeaders().get("Content-Length")).isEqualTo("0");
            assertThat(recorded.getBodySize()).isZero();
        }
    }

    @Test
    void theIdempotencyKeyGoesOnEveryAttempt() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        var request = request(HttpMethod.POST, url("/pay")).idempotencyKey("key-42").build();

        caller.call(request, 1);
        caller.call(request, 2);

        assertThat(takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("key-42");
        assertThat(takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("key-42");
    }

    @Test
    void aRequestWithoutAnIdempotencyKeySendsItsIdAsTheKey() throws Exception {
        server.enqueue(new MockResponse.Builder().build());
        var request = request(HttpMethod.POST, url("/pay")).build();

        caller.call(request, 1);

        assertThat(takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo(request.id());
    }

    @Test
    void withTheIdFallbackTurnedOffARequestWithoutAnIdempotencyKeySendsNone() throws Exception {
        server.enqueue(new MockResponse.Builder().build());
        try (OkHttpCaller withoutFallback = Callers.onLoopback(settings().idempotencyKeyFromId(false).build(), CLOCK, 4)) {

            withoutFallback.call(request(HttpMethod.POST, url("/pay")).build(), 1);
        }

        assertThat(takeRequest().getHeaders().get("Idempotency-Key")).isNull();
    }

    @Test
    void aContentTypeTheHttpClientCannotSendEndsInvalidWithoutAnAttemptOnTheWire() throws Exception {
        // the validator refuses it; a request that gets here anyway must not make OkHttp throw from the call
        for (String contentType : new String[] {"text/plain; a=\"\u00e9\"", "text/plain; charset"}) {
            AttemptResult result = caller.call(request(HttpMethod.POST, url("/ct")).body(Bytes.utf8("x"), contentType)
                    .build(), 1);

            assertThat(result).as(contentType).isInstanceOfSatisfying(AttemptResult.Failure.class, failure -> {
                assertThat(failure.kind()).isEqualTo(AttemptResult.Failure.Kind.INVALID);
                assertThat(failure.message()).startsWith("cannot make the request: ");
            });
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRedirectIsTheAnswerByDefault() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
        server.enqueue(new MockResponse.Builder().body("followed").build());

        AttemptResult result = caller.call(get(url("/start")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).isEqualTo("/elsewhere");
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRedirectIsFollowedWhenTheSettingsSaySo() throws Exception {
        caller.close();
        caller = Callers.onLoopback(settings().followRedirects(true).build(), CLOCK, 4);
        server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
        server.enqueue(new MockResponse.Builder().body("followed").build());

        AttemptResult result = caller.call(get(url("/start")).build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().utf8()).isEqualTo("followed");
        });
        assertThat(takeRequest().getTarget()).isEqualTo("/start");
        assertThat(takeRequest().getTarget()).isEqualTo("/elsewhere");
    }

    @Test
    void callsReuseAKeptAliveConnection() throws Exception {
        server.enqueue(new MockResponse.Builder().body("one").build());
        server.enqueue(new MockResponse.Builder().body("two").build());
        server.enqueue(new MockResponse.Builder().body("three").build());

        caller.call(get(url("/1")).build(), 1);
        caller.call(get(url("/2")).build(), 1);
        caller.call(request(HttpMethod.POST, url("/3")).build(), 1);

        assertThat(takeRequest().getConnectionIndex()).isZero();
        RecordedRequest second = takeRequest();
        assertThat(second.getConnectionIndex()).isZero();
        assertThat(second.getExchangeIndex()).isEqualTo(1);
        assertThat(takeRequest().getConnectionIndex()).isZero();
    }
}
