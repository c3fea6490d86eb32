package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AdminServerTest {

    private static final String TOKEN = "s3cret-admin-token";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Metrics metrics = new Metrics();
    private final Health health = new Health();
    private AdminServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private void start(Secret token) throws Exception {
        server = AdminServer.start("127.0.0.1", 0, token);
        metrics.serveOn(server);
        health.serveOn(server);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsNeedTheTokenWhenOneIsSetAndHealthNeverDoes() throws Exception {
        start(new Secret(TOKEN));
        health.started();

        HttpResponse<String> without = get("/metrics", null);
        HttpResponse<String> wrong = get("/metrics", "Bearer not-the-token");
        HttpResponse<String> with = get("/metrics", "Bearer " + TOKEN);

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"courier\"");
        assertThat(without.body()).doesNotContain(TOKEN);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.headers().firstValue("Content-Type")).hasValue(Metrics.CONTENT_TYPE);
        assertThat(Scrape.parse(with.body()).series("jvm_threads_live_threads", java.util.Map.of())).hasSize(1);
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreOpenWithoutAToken() throws Exception {
        start(null);

        assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void healthSaysWhichCheckFailedAndWhy() throws Exception {
        start(null);
        health.live("intake", Health.Status::up);
        health.ready("group", () -> Health.Status.down("not a member of consumer group \"courier\" yet"));
        health.ready("registry", Health.Status::up);

        HttpResponse<String> starting = get("/health/ready", null);
        health.started();
        HttpResponse<String> ready = get("/health/ready", null);
        HttpResponse<String> live = get("/health/live", null);

        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("\"engine\":{\"status\":\"DOWN\",\"reason\":\"starting");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"group\":{\"status\":\"DOWN\",\"reason\":"
                + "\"not a member of consumer group \\\"courier\\\" yet\"},\"registry\":{\"status\":\"UP\"}}}");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"intake\":{\"status\":\"UP\"}}}");
    }

    @Test
    void aCheckThatThrowsIsDown() throws Exception {
        start(null);
        health.live("dispatcher", () -> {
            throw new IllegalStateException("boom");
        });

        HttpResponse<String> live = get("/health/live", null);

        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("the check failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        start(null);

        HttpResponse<String> missing = get("/nothing", null);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aPrefixRouteAnswersEveryPathUnderIt() throws Exception {
        start(new Secret(TOKEN));
        server.route("/requests/", AdminServer.Access.TOKEN, path -> AdminResponse.json(200,
                "{\"id\":" + Json.string(path.substring("/requests/".length())) + "}"));

        assertThat(get("/requests/abc", null).statusCode()).isEqualTo(401);
        assertThat(get("/requests/abc", "Bearer " + TOKEN).body()).isEqualTo("{\"id\":\"abc\"}");
    }
}
