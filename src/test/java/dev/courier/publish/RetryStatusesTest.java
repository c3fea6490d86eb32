package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.codec.EventCodec;
import dev.courier.dispatch.DispatchListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestStatus;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The retrying status of an event that waits for its next attempt: written off the dispatch thread, once per wait,
 * never after the event's outcome went to the publisher, never for an event let go.
 */
@Timeout(30)
class RetryStatusesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final Duration AWAIT = Duration.ofSeconds(10);

    private final EventCodec codec = EventCodec.create(new InMemorySchemaRegistry(), true);
    private final StatusRecords records = new StatusRecords(codec, "status", Clock.fixed(NOW, ZoneOffset.UTC));
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<RequestStatus> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String blockOn = "none";
    private final RetryStatuses statuses = new RetryStatuses(records, this::send, status -> status / 100 == 2,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final DispatchListener<Origin> listener = statuses.listening(new Heard());

    @AfterEach
    void close() {
        release.countDown();
        statuses.close();
    }

    @Test
    void anEventWaitingForItsNextAttemptGetsOneRetryingStatusWithItsLastAttemptAndTheListenerHearsAllAsBefore() {
        Origin origin = origin(1, "r-1");
        listener.onAttempt(origin, request("r-1"), 1, failure("connect timed out", NOW.minusSeconds(2)));
        listener.onRetryScheduled(origin, request("r-1"), 2, Duration.ofMillis(300));
        await().atMost(AWAIT).until(() -> sent.size() == 1);
        listener.onAttempt(origin, request("r-1"), 2, response(503, NOW.minusSeconds(1)));
        listener.onRetryScheduled(origin, request("r-1"), 3, Duration.ofSeconds(2));
        await().atMost(AWAIT).until(() -> sent.size() == 2);

        RequestStatus first = sent.get(0);
        assertThat(first.state()).isEqualTo(RequestStatus.State.RETRYING);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.statusCode()).isNull();
        assertThat(first.message()).isEqualTo("connect timed out");
        assertThat(first.nextAttemptAt()).isEqualTo(NOW.plusMillis(300));
        RequestStatus second = sent.get(1);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.message()).isNull();
        assertThat(second.firstAttemptAt()).isEqualTo(NOW.minusSeconds(2));
        assertThat(second.lastAttemptAt()).isEqualTo(NOW.minusSeconds(1));
        assertThat(second.nextAttemptAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(listened()).containsExactly("attempt r-1", "retry r-1", "attempt r-1", "retry r-1");
    }

    @Test
    void anEventWhoseFirstAttemptSucceedsGetsNoRetryingStatus() {
        Origin origin = origin(2, "r-2");
        listener.onAttempt(origin, request("r-2"), 1, response(200, NOW));
        listener.onOutcome(origin, request("r-2"), result());
        // a later event's wait goes through the same queue: once it is written, nothing else is pending
        listener.onAttempt(origin(3, "r-3"), request("r-3"), 1, response(503, NOW));
        listener.onRetryScheduled(origin(3, "r-3"), request("r-3"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> sent.size() == 1);

        assertThat(sent).extracting(RequestStatus::id).containsExactly("r-3");
        assertThat(listened()).containsExactly("attempt r-2", "outcome r-2", "attempt r-3", "retry r-3");
    }

    @Test
    void theOutcomeGoesOnOnlyOnceARetryingStatusBeingSentIsHandedOverAndNoneIsSentAfterIt() throws Exception {
        blockOn = "r-4";
        Origin origin = origin(4, "r-4");
        listener.onAttempt(origin, request("r-4"), 1, response(503, NOW));
        listener.onRetryScheduled(origin, request("r-4"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> heard.contains("sending r-4"));

        Thread worker = new Thread(() -> listener.onOutcome(origin, request("r-4"), result()));
        worker.start();
        worker.join(200);
        assertThat(heard).as("the outcome waits for the send in progress").doesNotContain("outcome r-4");

        release.countDown();
        worker.join(AWAIT.toMillis());
        assertThat(heard).containsSubsequence("sending r-4", "sent r-4", "outcome r-4");
        assertThat(sent).extracting(RequestStatus::id).containsExactly("r-4");
    }

    @Test
    void aWaitQueuedBehindAnotherIsNotWrittenOnceItsEventHasItsOutcomeOrIsLetGo() throws Exception {
        blockOn = "r-6";
        listener.onRetryScheduled(origin(6, "r-6"), request("r-6"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> heard.contains("sending r-6"));
        listener.onRetryScheduled(origin(7, "r-7"), request("r-7"), 2, Duration.ofSeconds(1));
        listener.onRetryScheduled(origin(8, "r-8"), request("r-8"), 2, Duration.ofSeconds(1));
        listener.onRetryScheduled(origin(9, "r-9"), request("r-9"), 2, Duration.ofSeconds(1));

        listener.onOutcome(origin(7, "r-7"), request("r-7"), result());
        listener.onAbandoned(origin(8, "r-8"));
        release.countDown();
        await().atMost(AWAIT).until(() -> heard.contains("sent r-9"));

        assertThat(sent).extracting(RequestStatus::id).containsExactly("r-6", "r-9");
        assertThat(heard).contains("outcome r-7", "abandoned r-8");
    }

    @Test
    void aWaitOfAnEarlierEpochIsNotWrittenForTheEventRedoneSince() {
        blockOn = "r-10";
        listener.onRetryScheduled(origin(10, "r-10"), request("r-10"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> heard.contains("sending r-10"));
        Origin first = new Origin(new Source("requests", 0, 11), Bytes.utf8("k"), spec("r-11"), null, Map.of(), 0, 1,
                -1);
        Origin redone = new Origin(new Source("requests", 0, 11), Bytes.utf8("k"), spec("r-11"), null, Map.of(), 0, 2,
                -1);
        listener.onRetryScheduled(first, request("r-11"), 2, Duration.ofSeconds(1));

        listener.onAttempt(redone, request("r-11"), 1, response(200, NOW));
        listener.onAttempt(redone, request("r-11"), 1, response(500, NOW));
        release.countDown();
        listener.onRetryScheduled(origin(12, "r-12"), request("r-12"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> heard.contains("sent r-12"));

        assertThat(sent).extracting(RequestStatus::id).containsExactly("r-10", "r-12");
    }

    @Test
    void anEarlierEpochsOutcomeLeavesTheWaitOfTheEventRedoneSinceAlone() {
        blockOn = "r-20";
        listener.onRetryScheduled(origin(20, "r-20"), request("r-20"), 2, Duration.ofSeconds(1));
        await().atMost(AWAIT).until(() -> heard.contains("sending r-20"));
        Origin first = new Origin(new Source("requests", 0, 21), Bytes.utf8("k"), spec("r-21"), null, Map.of(), 0, 1,
                -1);
        Origin redone = new Origin(new Source("requests", 0, 21), Bytes.utf8("k"), spec("r-21"), null, Map.of(), 0, 2,
                -1);
        listener.onAttempt(redone, request("r-21"), 1, response(503, NOW));
        listener.onRetryScheduled(redone, request("r-21"), 2, Duration.ofSeconds(1));

        listener.onOutcome(first, request("r-21"), result()); // the earlier epoch's, which the publisher drops
        release.countDown();

        await().atMost(AWAIT).until(() -> heard.contains("sent r-21"));
        assertThat(sent).extracting(RequestStatus::id).containsExactly("r-20", "r-21");
    }

    /** What the engine's listener heard, without the sends. */
    private List<String> listened() {
        return heard.stream().filter(event -> !event.startsWith("sen")).toList();
    }

    private void send(Origin origin, ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        String id = origin.request().id();
        heard.add("sending " + id);
        if (id.equals(blockOn)) {
            release.await(AWAIT.toSeconds(), TimeUnit.SECONDS);
        }
        try {
            sent.add(codec.decodeStatus("status", record.value()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        heard.add("sent " + id);
    }

    /** The engine's listener, as the dispatcher would call it. */
    private final class Heard implements DispatchListener<Origin> {

        @Override
        public void onOutcome(Origin origin, DispatchRequest request, Outcome outcome) {
            heard.add("outcome " + request.id());
        }

        @Override
        public void onAbandoned(Origin origin) {
            heard.add("abandoned " + origin.request().id());
        }

        @Override
        public void onAttempt(Origin origin, DispatchRequest request, int attempt, AttemptResult result) {
            heard.add("attempt " + request.id());
        }

        @Override
        public void onRetryScheduled(Origin origin, DispatchRequest request, int attempt, Duration delay) {
            heard.add("retry " + request.id());
        }
    }

    private static Origin origin(long offset, String id) {
        return new Origin(new Source("requests", 0, offset), Bytes.utf8("k"), spec(id), null, Map.of(), 0, 1,
                NOW.minusSeconds(5).toEpochMilli());
    }

    private static RequestSpec spec(String id) {
        return new RequestSpec(id, "GET", "https://api.example.com/x", null, null, Map.of(), null, null, null, null,
                null, null, null, null, Map.of());
    }

    private static DispatchRequest request(String id) {
        return new DispatchRequest(id, HttpMethod.GET, URI.create("https://api.example.com/x"), null, Map.of(), null,
                null, null, null, null, null, null, "api.example.com", Map.of());
    }

    private static AttemptResult response(int status, Instant at) {
        return new AttemptResult.Response(status, Map.of(), Bytes.utf8(""), false, at, Duration.ofMillis(5));
    }

    private static AttemptResult failure(String message, Instant at) {
        return new AttemptResult.Failure(AttemptResult.Failure.Kind.NOT_SENT, message, at, Duration.ofMillis(5));
    }

    private static Outcome result() {
        return new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false, Duration.ofMillis(3),
                new Attempts(1, NOW, NOW));
    }
}
