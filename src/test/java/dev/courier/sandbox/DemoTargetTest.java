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

    @Test
    void theTokenEndpointGivesTheDemoClientATokenThatSecurePathsRequire() throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((DemoTarget.DEMO_CLIENT_ID + ":"
                + DemoTarget.DEMO_CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> granted = post("/oauth/token", "grant_type=client_credentials", "Authorization", basic);
        HttpResponse<String> inForm = post("/oauth/token", "grant_type=client_credentials&client_id="
                + DemoTarget.DEMO_CLIENT_ID + "&client_secret=" + DemoTarget.DEMO_CLIENT_SECRET);
        HttpResponse<String> wrongSecret = post("/oauth/token", "grant_type=client_credentials&client_id="
                + DemoTarget.DEMO_CLIENT_ID + "&client_secret=guess");
        HttpResponse<String> wrongGrant = post("/oauth/token", "grant_type=password", "Authorization", basic);

        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(granted.body()).matches("\\{\"access_token\":\"demo-[A-Za-z0-9_-]+\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300}");
        assertThat(inForm.statusCode()).isEqualTo(200);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("invalid_client");
        assertThat(wrongGrant.statusCode()).isEqualTo(400);
        String token = granted.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        assertThat(get("/secure/ok").statusCode()).isEqualTo(401);
        assertThat(get("/secure/ok").headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(get("/secure/ok", "Authorization", "Bearer not-" + token).statusCode()).isEqualTo(401);
        assertThat(get("/secure/ok", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(get("/secure/missing", "Authorization", "Bearer " + token).statusCode()).isEqualTo(404);
    }

    @Test
    void webhookPathsRequireAStandardWebhooksSignatureWithTheDemoSecret() throws Exception {
        String body = "{\"type\":\"order.paid\"}";
        long now = java.time.Instant.now().getEpochSecond();
        String signature = sign(DemoTarget.DEMO_SIGNING_SECRET, "evt-1", now, body);

        assertThat(post("/webhooks/ok", body, "webhook-id", "evt-1", "webhook-timestamp", "" + now,
                "webhook-signature", "v1,bm90IGl0 " + signature).statusCode()).isEqualTo(200);
        assertThat(post("/webhooks/ok", body + " ", "webhook-id", "evt-1", "webhook-timestamp", "" + now,
                "webhook-signature", signature).statusCode()).as("another body").isEqualTo(401);
        assertThat(post("/webhooks/ok", body, "webhook-id", "evt-2", "webhook-timestamp", "" + now,
                "webhook-signature", signature).statusCode()).as("another id").isEqualTo(401);
        long old = now - 600;
        assertThat(post("/webhooks/ok", body, "webhook-id", "evt-1", "webhook-timestamp", "" + old,
                "webhook-signature", sign(DemoTarget.DEMO_SIGNING_SECRET, "evt-1", old, body)).statusCode())
                .as("ten minutes old").isEqualTo(401);
        assertThat(post("/webhooks/ok", body).statusCode()).as("unsigned").isEqualTo(401);
    }

    @Test
    void theExamplesSecretFilesHoldTheDemoCredentials() throws Exception {
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("examples/secrets/demo-client-secret")).strip())
                .isEqualTo(DemoTarget.DEMO_CLIENT_SECRET);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("examples/secrets/demo-signing-secret")).strip())
                .isEqualTo(DemoTarget.DEMO_SIGNING_SECRET);
    }

    /** {@code v1,} and the base64 HMAC-SHA256 of id.timestamp.body: the signature of the Standard Webhooks spec. */
    private static String sign(String secret, String id, long timestamp, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring(6)),
                "HmacSHA256"));
        return "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String header, String value) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(target.url() + path)).header(header, value)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
