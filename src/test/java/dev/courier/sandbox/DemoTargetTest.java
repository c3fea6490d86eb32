package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoTargetTest {

    private static DemoTarget target;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        target = DemoTarget.start(0);
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    @Test
    void okAnswers200() throws Exception {
        assertThat(get("/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void flakyFailsTwiceWith503ThenSucceedsForEachDistinctRequest() throws Exception {
        assertThat(get("/flaky?n=1").statusCode()).isEqualTo(503);
        assertThat(get("/flaky?n=1").statusCode()).isEqualTo(503);
        assertThat(get("/flaky?n=2").statusCode()).isEqualTo(503);
        assertThat(get("/flaky?n=1").statusCode()).isEqualTo(200);
    }

    @Test
    void missingAnswers404() throws Exception {
        assertThat(get("/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void rateLimitedAsksToComeBackInASecondOnce() throws Exception {
        HttpResponse<String> first = get("/rate-limited?n=9");

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("1");
        assertThat(get("/rate-limited?n=9").statusCode()).isEqualTo(200);
    }

    @Test
    void slowAnswersAfterTheAskedDelayWithoutHoldingAServerThread() throws Exception {
        long start = System.nanoTime();
        var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return get("/slow?delayMs=700").statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 8; i++) {
            assertThat(get("/ok").statusCode()).isEqualTo(200);
        }

        assertThat(slow.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void statusPathsAnswerThatStatus() throws Exception {
        assertThat(get("/status/501").statusCode()).isEqualTo(501);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void everyCallIsCounted() throws Exception {
        long before = target.calls();

        get("/ok");
        get("/missing");

        assertThat(target.calls() - before).isEqualTo(2);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
