package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The production dispatcher, on its real threads, with a caller whose calls block until the test lets them go. */
@Timeout(30)
class DispatcherThreadsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final GatedCaller caller = new GatedCaller();
    private final RecordingListener listener = new RecordingListener();
    private Dispatcher<String> dispatcher;

    @AfterEach
    void closeTheDispatcher() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }

    @Test
    void callsRunInParallelUpToTheNumberOfWorkersAndOutcomesAreReportedOnWorkers() throws InterruptedException {
        start("courier.workers", "4");
        for (int i = 0; i < 8; i++) {
            submit("r" + i, "host" + i + ".example.com", null);
        }

        assertThat(caller.awaitArrivals(4, WAIT)).as("four calls in progress at once").isTrue();
        caller.open();

        assertThat(listener.awaitOutcomes(8, WAIT)).isTrue();
        assertThat(caller.mostInProgress()).isEqualTo(4);
        assertThat(listener.outcomes()).allSatisfy(reported ->
                assertThat(reported.thread()).startsWith(WorkerThreads.THREAD_PREFIX));
        // an event leaves the count once onOutcome has returned
        await().atMost(WAIT).until(() -> dispatcher.inFlight() == 0);
    }

    @Test
    void noMoreCallsThanThePerHostLimitGoToOneHost() throws InterruptedException {
        start("courier.workers", "8", "courier.http.per-host-concurrency", "2");
        for (int i = 0; i < 6; i++) {
            submit("a" + i, "a.example.com", null);
        }
        submit("b0", "b.example.com", null);
        submit("b1", "b.example.com", null);

        assertThat(caller.awaitArrivals(4, WAIT)).as("two calls to each host").isTrue();
        caller.open();

        assertThat(listener.awaitOutcomes(8, WAIT)).isTrue();
        assertThat(caller.mostInProgressToHost("a.example.com")).isEqualTo(2);
        assertThat(caller.mostInProgressToHost("b.example.com")).isEqualTo(2);
    }

    @Test
    void callsForOneKeyNeverOverlapAndKeepTheirOrderWhileOtherKeysRunAlongside() throws InterruptedException {
        // four calls to one host (one rate-limit key) at once: 5 workers, less the quarter kept for other keys
        start("courier.workers", "5");
        CountDownLatch othersDone = new CountDownLatch(3);
        caller.alsoWaitFor("k-1", othersDone);
        caller.open();
        for (int i = 1; i <= 5; i++) {
            submit("k-" + i, "api.example.com", "key");
        }
        for (int i = 1; i <= 3; i++) {
            submit("o" + i + "-1", "api.example.com", "other-" + i);
        }

        assertThat(listener.awaitOutcomes(3, WAIT)).as("the other keys finish while k-1 is in its call").isTrue();
        othersDone.countDown();
        othersDone.countDown();
        othersDone.countDown();

        assertThat(listener.awaitOutcomes(5, WAIT)).isTrue();
        assertThat(caller.started().stream().filter(id -> id.startsWith("k-")))
                .containsExactly("k-1", "k-2", "k-3", "k-4", "k-5");
        assertThat(caller.mostInProgressOfGroup("k")).isEqualTo(1);
    }

    @Test
    void closeIsPromptWhileCallsAreInProgressAndReportsNothingAfter() throws InterruptedException {
        start("courier.workers", "2");
        for (int i = 0; i < 4; i++) {
            submit("r" + i, "api.example.com", null);
        }
        assertThat(caller.awaitArrivals(2, WAIT)).isTrue();

        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> dispatcher.close());
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> dispatcher.close());

        assertThat(listener.outcomes()).isEmpty();
        assertThat(caller.started()).hasSize(2);
    }

    private void start(String... settings) {
        dispatcher = Dispatcher.start(Requests.settings(settings), caller, listener, Clock.systemUTC());
    }

    private void submit(String id, String host, String orderingKey) {
        dispatcher.submit(Requests.get(id, host), orderingKey, id);
    }
}
