package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.config.Settings;
import dev.courier.engine.EngineHarness;
import dev.courier.engine.Service;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status view of two instances of one group on the in-JVM broker, one in this JVM and one a {@code courier run}
 * process from the jar: each answers {@code GET /requests/{id}} for
 * every id, whichever instance holds it (the other's are forwarded), for a request waiting for its retry, results, a
 * dead letter and a replayed request; 404 for an id nobody sent and for one still in its first call (no status is
 * written before its outcome); {@code courier status} prints the same answer; and the view made no topic of its own.
 */
@WithSandbox
@Timeout(180)
class StatusViewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "status-view-token";
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final TestSandbox sandbox;
    private final HttpClient http = HttpClient.newHttpClient();
    @AutoClose
    private final Closing closing = new Closing();
    @TempDir
    Path dir;

    StatusViewIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** An instance's admin server, and its process when it is one. */
    private record Instance(String url, CourierProcess process) {
    }

    @Test
    void twoInstancesAnswerEveryIdAndCourierStatusPrintsTheSame() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            if (id.startsWith("slow") && call == 1) {
                return EventTarget.status(503);
            }
            if (id.startsWith("slow") || id.startsWith("fresh")) {
                release.await(AWAIT.toSeconds(), TimeUnit.SECONDS);
                return EventTarget.status(200);
            }
            return id.startsWith("bad") || (id.startsWith("replayed") && call == 1) ? EventTarget.status(404)
                    : EventTarget.status(200);
        }));
        closing.add(release::countDown);
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of(
                "courier.shutdown.drain-timeout", "1s")));
        List<String> done = new ArrayList<>(List.of("bad-1", "replayed-1"));
        for (int i = 1; i <= 6; i++) {
            done.add("ok-" + i);
        }
        for (String id : done) {
            harness.send("key-" + id, EngineHarness.get(id, target.url(id)));
        }

        Settings settings = harness.settingsWith(Map.of("courier.admin.bind", "127.0.0.1", "courier.admin.port", "0",
                "courier.admin.token", "${file:" + token + "}", "courier.log.format", "text"));
        List<Instance> instances = List.of(start(settings), startProcess(harness, token));
        harness.awaitEvery(done, AWAIT);
        // once the process holds its partitions, no rebalance redoes the two calls that hang (a redo would call again)
        await("courier run's partitions").atMost(AWAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> instances.get(1).process().output().contains("Assigned [requests"));
        harness.send("key-slow-1", EngineHarness.get("slow-1", target.url("slow-1")));
        harness.send("key-fresh-1", EngineHarness.get("fresh-1", target.url("fresh-1")));
        harness.send("key-replayed-1", EngineHarness.get("replayed-1", target.url("replayed-1")),
                Map.of("courier-replay-count", "1"));

        for (Instance instance : instances) {
            JsonNode replayed = awaitAnswer(instance, "replayed-1", json -> json.path("replayCount").asInt() == 1
                    && json.path("state").asText().equals("succeeded"));
            assertThat(replayed.get("outcome").get("topic").asText()).isEqualTo(settings.topics().results());
            for (int i = 1; i <= 6; i++) {
                JsonNode ok = awaitAnswer(instance, "ok-" + i, json -> json.path("state").asText().equals("succeeded"));
                assertThat(ok.get("statusCode").asInt()).isEqualTo(200);
                assertThat(ok.get("attempts").asInt()).isEqualTo(1);
                assertThat(ok.get("replayCount").asInt()).isZero();
                assertThat(ok.get("outcome").get("topic").asText()).isEqualTo(settings.topics().results());
                assertThat(ok.get("request").get("topic").asText()).isEqualTo(settings.topics().requests());
            }
            JsonNode bad = awaitAnswer(instance, "bad-1", json -> json.path("state").asText().equals("failed"));
            assertThat(bad.get("category").asText()).isEqualTo("HTTP_CLIENT_ERROR");
            assertThat(bad.get("statusCode").asInt()).isEqualTo(404);
            assertThat(bad.get("outcome").get("topic").asText()).isEqualTo(settings.topics().deadLetters());
            JsonNode slow = awaitAnswer(instance, "slow-1", json -> json.path("state").asText().equals("retrying"));
            assertThat(slow.get("attempts").asInt()).isEqualTo(1);
            assertThat(slow.get("statusCode").asInt()).isEqualTo(503);
            assertThat(slow.has("nextAttemptAt")).isTrue();
            assertThat(slow.has("outcome")).isFalse();
            assertThat(slow.has("completedAt")).isFalse();
            assertThat(slow.get("request").get("topic").asText()).isEqualTo(settings.topics().requests());

            await("fresh-1 in its first call").atMost(AWAIT).until(() -> target.calls("fresh-1") >= 1);
            HttpResponse<String> fresh = get(instance.url() + "/requests/fresh-1", TOKEN);
            assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(404);
            assertThat(JSON.readTree(fresh.body()).get("error").asText())
                    .isEqualTo("no outcome recorded yet (not processed, or older than retention)");
            assertThat(get(instance.url() + "/requests/never-sent", TOKEN).statusCode()).isEqualTo(404);
            assertThat(get(instance.url() + "/requests/ok-1", null).statusCode()).isEqualTo(401);
        }

        List<String> ids = new ArrayList<>(done);
        ids.add("slow-1");
        for (String id : ids) {
            await("exactly one instance holds " + id).atMost(AWAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                int holders = 0;
                for (Instance instance : instances) {
                    holders += get(instance.url() + "/local/requests/" + id, TOKEN).statusCode() == 200 ? 1 : 0;
                }
                return holders;
            }, holders -> holders == 1);
        }

        for (Instance instance : instances) {
            Cli.Run known = Cli.run("status", "ok-3", "--admin", instance.url(), "--token", TOKEN);
            assertThat(known.exitCode()).as(known.toString()).isZero();
            assertThat(JSON.readTree(known.out()))
                    .isEqualTo(JSON.readTree(get(instance.url() + "/requests/ok-3", TOKEN).body()));
            Cli.Run unknown = Cli.run("status", "never-sent", "--admin", instance.url(), "--token", TOKEN);
            assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
            assertThat(JSON.readTree(unknown.out()).get("id").asText()).isEqualTo("never-sent");
        }
        release.countDown();
        for (Instance instance : instances) {
            awaitAnswer(instance, "slow-1", json -> json.path("state").asText().equals("succeeded"));
            awaitAnswer(instance, "fresh-1", json -> json.path("state").asText().equals("succeeded"));
        }
        try (Admin admin = harness.kafka().admin("status-view-it")) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("no repartition or changelog topic: the status topic is the view's only one")
                    .noneMatch(topic -> topic.startsWith(settings.groupId() + "-status")); // the view's application id
        }

        CourierProcess run = instances.get(1).process();
        long stopping = System.nanoTime();
        assertThat(run.terminate(60)).as(run.outputTail(3000)).isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - stopping))
                .as("SIGTERM to exit, the status view closed meanwhile").isLessThan(Duration.ofSeconds(28));
    }

    /** An instance in this JVM, as {@code courier run} starts it: the engine, and the status view on its admin server. */
    private Instance start(Settings settings) {
        Service service = closing.add(Service.start(settings));
        return new Instance("http://127.0.0.1:" + service.adminPort(), null);
    }

    /** {@code courier run} from the jar, with the status view on, and its admin port read from its log. */
    private Instance startProcess(EngineHarness harness, Path token) throws Exception {
        CourierProcess run = closing.add(CourierProcess.start(harness.processSettings(Map.of(
                "courier.status.enabled", "true", "courier.admin.token", "${file:" + token + "}",
                "courier.shutdown.drain-timeout", "1s")), "run"));
        Pattern admin = Pattern.compile("Admin server on 127\\.0\\.0\\.1:(\\d+)");
        String port = await("courier run's admin port").atMost(AWAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(run.isAlive()).as(run.outputTail(3000)).isTrue();
                    Matcher matcher = admin.matcher(run.output());
                    return matcher.find() ? matcher.group(1) : null;
                }, found -> found != null);
        return new Instance("http://127.0.0.1:" + port, run);
    }

    private JsonNode awaitAnswer(Instance instance, String id, java.util.function.Predicate<JsonNode> expected) {
        return await(id + " from " + instance.url()).atMost(AWAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> response = get(instance.url() + "/requests/" + id, TOKEN);
                    return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                }, json -> json != null && expected.test(json));
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
