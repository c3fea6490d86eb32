package dev.courier.dispatch;

import static dev.courier.dispatch.Results.failure;
import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult.Failure.Kind;
import dev.courier.model.Attempts;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import dev.courier.model.Outcome.DeadLetter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatcher acting on the retry policy's decisions, in virtual time. */
class DispatcherRetryTest {

    private final VirtualDispatch dispatch = new VirtualDispatch("courier.retry.max-attempts", "3");

    @Test
    void twoFailuresThenASuccessMakeOneResultAfterThreeAttemptsSpacedByTheBackoff() {
        dispatch.caller.script("r1", status(503), status(503), status(200));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        Outcome.Result result = (Outcome.Result) dispatch.listener.outcomeOf("r1");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.attempts()).isEqualTo(new Attempts(3, VirtualTime.EPOCH, VirtualTime.EPOCH.plusMillis(300)));
        // backoff caps 200ms then 400ms, jitter draws half of each
        assertThat(dispatch.caller.startsOf("r1")).containsExactly(Duration.ZERO, Duration.ofMillis(100),
                Duration.ofMillis(300));
        assertThat(dispatch.listener.attemptsHeard("r1")).isEqualTo(3);
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void aNotFoundIsAClientErrorAfterOneAttempt() {
        dispatch.caller.script("r1", status(404));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        DeadLetter letter = (DeadLetter) dispatch.listener.outcomeOf("r1");
        assertThat(letter.category()).isEqualTo(FailureCategory.HTTP_CLIENT_ERROR);
        assertThat(letter.lastStatus()).isEqualTo(404);
        assertThat(letter.attempts().count()).isEqualTo(1);
        assertThat(dispatch.caller.calls()).hasSize(1);
    }

    @Test
    void aTargetThatAlwaysAnswers503ExhaustsTheAttempts() {
        dispatch.caller.script("r1", status(503));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        DeadLetter letter = (DeadLetter) dispatch.listener.outcomeOf("r1");
        assertThat(letter.category()).isEqualTo(FailureCategory.RETRIES_EXHAUSTED);
        assertThat(letter.lastStatus()).isEqualTo(503);
        assertThat(letter.attempts().count()).isEqualTo(3);
        assertThat(dispatch.caller.calls()).hasSize(3);
    }

    @Test
    void retryAfterIsWaitedOutBeforeTheNextAttempt() {
        dispatch.caller.script("r1", status(429, Map.of("Retry-After", "7")), status(200));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("r1")).containsExactly(Duration.ZERO, Duration.ofSeconds(7));
        assertThat(dispatch.listener.outcomeOf("r1")).isInstanceOf(Outcome.Result.class);
    }

    @Test
    void aPostThatMayHaveBeenDeliveredIsNotRepeated() {
        DispatchRequest post = Requests.request("r1", HttpMethod.POST, "api.example.com", null, null, null,
                "api.example.com");
        dispatch.caller.script("r1", failure(Kind.MAYBE_DELIVERED, "read timed out"), status(200));

        dispatch.submit(post);
        dispatch.time.runUntilIdle();

        assertThat(((DeadLetter) dispatch.listener.outcomeOf("r1")).category())
                .isEqualTo(FailureCategory.UNSAFE_TO_RETRY);
        assertThat(dispatch.caller.calls()).hasSize(1);
    }

    @Test
    void anEventWhoseDeadlineHasPassedExpiresWithoutACall() {
        dispatch.submit(Requests.request("r1", HttpMethod.GET, "h", null, VirtualTime.EPOCH.minusSeconds(1), null,
                "h"));
        dispatch.time.runUntilIdle();

        DeadLetter letter = (DeadLetter) dispatch.listener.outcomeOf("r1");
        assertThat(letter.category()).isEqualTo(FailureCategory.EXPIRED);
        assertThat(letter.attempts()).isEqualTo(Attempts.NONE);
        assertThat(dispatch.caller.calls()).isEmpty();
    }

    @Test
    void aRetryThatWouldStartAfterTheDeadlineExpiresWithoutWaiting() {
        dispatch.caller.script("r1", status(503, Map.of("Retry-After", "5")));

        dispatch.submit(Requests.request("r1", HttpMethod.GET, "h", null, VirtualTime.EPOCH.plusSeconds(1), null,
                "h"));
        dispatch.time.runUntilIdle();

        DeadLetter letter = (DeadLetter) dispatch.listener.outcomeOf("r1");
        assertThat(letter.category()).isEqualTo(FailureCategory.EXPIRED);
        assertThat(letter.lastStatus()).isEqualTo(503);
        assertThat(dispatch.time.elapsed()).isZero();
        assertThat(dispatch.caller.calls()).hasSize(1);
    }
}
