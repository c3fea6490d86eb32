package dev.courier.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.model.RequestStatus;
import dev.courier.ops.AdminResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /requests/{id}} over a lookup of the test's choosing: answers, 404, 503, and forwarding. */
class StatusEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");
    private static final RequestStatus FAILED = new RequestStatus("id-1", RequestStatus.State.FAILED, 2, 503, 4,
            "RETRIES_EXHAUSTED", "503 Service Unavailable", AT, AT.plusSeconds(1), AT.plusSeconds(3), null,
            AT.plusSeconds(4), new RequestStatus.Position("requests", 1, 7L),
            new RequestStatus.Position("dead-letters", 1, null));
    private static final RequestStatus RETRYING = new RequestStatus("id-4", RequestStatus.State.RETRYING, 0, 503, 1,
            null, null, AT, AT, AT, AT.plusSeconds(2), AT.plusMillis(10), new RequestStatus.Position("requests", 0, 9L),
            null);

    private final List<String> forwarded = new ArrayList<>();

    private StatusEndpoint endpoint(Map<String, Lookup> everywhere, Map<String, Lookup> here) {
        return new StatusEndpoint(id -> everywhere.getOrDefault(id, new Lookup.Absent()),
                id -> here.getOrDefault(id, new Lookup.Absent()), (host, port, path) -> {
                    forwarded.add(host + ":" + port + path);
                    return AdminResponse.json(200, "{\"from\":\"" + host + "\"}");
                });
    }

    @Test
    void aKnownIdIsAnsweredAsJsonWithEveryField() throws Exception {
        AdminResponse response = endpoint(Map.of("id-1", new Lookup.Found(FAILED)), Map.of()).answer("/requests/id-1");

        assertThat(response.status()).isEqualTo(200);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("id").asText()).isEqualTo("id-1");
        assertThat(json.get("state").asText()).isEqualTo("failed");
        assertThat(json.get("statusCode").asInt()).isEqualTo(503);
        assertThat(json.get("attempts").asInt()).isEqualTo(4);
        assertThat(json.get("category").asText()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(json.get("errorMessage").asText()).isEqualTo("503 Service Unavailable");
        assertThat(json.get("replayCount").asInt()).isEqualTo(2);
        assertThat(json.get("completedAt").asText()).isEqualTo("2026-11-29T12:00:04Z");
        assertThat(json.get("outcome").get("topic").asText()).isEqualTo("dead-letters");
        assertThat(json.get("outcome").get("partition").asInt()).isEqualTo(1);
        assertThat(json.get("outcome").has("offset")).as("not known when the status is written").isFalse();
        assertThat(json.get("request").get("offset").asLong()).isEqualTo(7);
        assertThat(json.get("requestedAt").asText()).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(json.get("updatedAt").asText()).isEqualTo("2026-11-29T12:00:04Z");
        assertThat(json.has("nextAttemptAt")).isFalse();
        assertThat(forwarded).isEmpty();
    }

    @Test
    void aRetryingRequestShowsItsAttemptsLastStatusAndNextAttemptAndNoCompletion() throws Exception {
        JsonNode json = JSON.readTree(endpoint(Map.of("id-4", new Lookup.Found(RETRYING)), Map.of())
                .answer("/requests/id-4").body());

        assertThat(json.get("state").asText()).isEqualTo("retrying");
        assertThat(json.get("attempts").asInt()).isEqualTo(1);
        assertThat(json.get("statusCode").asInt()).isEqualTo(503);
        assertThat(json.get("nextAttemptAt").asText()).isEqualTo("2026-11-29T12:00:02Z");
        assertThat(json.has("completedAt")).isFalse();
        assertThat(json.has("outcome")).isFalse();
    }

    @Test
    void anUnknownIdIs404SayingNoOutcomeIsRecordedYetWithTheIdInTheAnswer() throws Exception {
        AdminResponse response = endpoint(Map.of(), Map.of()).answer("/requests/nope");

        assertThat(response.status()).isEqualTo(404);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("id").asText()).isEqualTo("nope");
        assertThat(json.get("error").asText())
                .isEqualTo("no outcome recorded yet (not processed, or older than retention)");
    }

    @Test
    void anIdHeldByAnotherInstanceIsForwardedToItsLocalEndpointAndItsAnswerReturned() {
        AdminResponse response = endpoint(Map.of("id-2", new Lookup.Elsewhere("127.0.0.2", 9090)), Map.of())
                .answer("/requests/id-2");

        assertThat(forwarded).containsExactly("127.0.0.2:9090/local/requests/id-2");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"from\":\"127.0.0.2\"}");
    }

    @Test
    void theLocalEndpointAnswersFromThisInstanceOnlyAndNeverForwards() {
        StatusEndpoint endpoint = endpoint(Map.of("id-1", new Lookup.Elsewhere("127.0.0.2", 9090)),
                Map.of("id-1", new Lookup.Found(FAILED)));

        assertThat(endpoint.answerLocally("/local/requests/id-1").status()).isEqualTo(200);
        assertThat(endpoint.answerLocally("/local/requests/other").status()).isEqualTo(404);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void aViewThatIsNotReadyAnswers503() {
        AdminResponse response = endpoint(Map.of("id-3", new Lookup.Unavailable("the status view is rebalancing")),
                Map.of()).answer("/requests/id-3");

        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("rebalancing");
    }

    @Test
    void aPendingRequestLeavesOutItsAttempts() throws Exception {
        RequestStatus pending = new RequestStatus("p", RequestStatus.State.PENDING, 1, null, 0, null, null, AT, null,
                null, null, AT, new RequestStatus.Position("requests", 2, null), null);

        JsonNode json = JSON.readTree(StatusJson.toText(pending));

        assertThat(json.get("state").asText()).isEqualTo("pending");
        assertThat(json.has("attempts")).isFalse();
        assertThat(json.get("replayCount").asInt()).isEqualTo(1);
        assertThat(json.get("request").get("partition").asInt()).isEqualTo(2);
        assertThat(json.get("request").has("offset")).isFalse();
    }
}
