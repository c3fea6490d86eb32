package dev.courier.dispatch;

import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A named target's own max-attempts and rate, in virtual time. */
class TargetLimitsTest {

    @Test
    void aTargetsMaxAttemptsReplacesCouriersAndAnEventMayStillAskForFewer() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.retry.max-attempts", "5",
                "courier.targets.payments.base-url", "https://payments.example.com",
                "courier.targets.payments.max-attempts", "2");
        dispatch.caller.script("t", status(503));
        dispatch.caller.script("free", status(503));

        dispatch.submit(Requests.toTarget("t", "payments", "payments.example.com", "payments.example.com"));
        dispatch.submit(Requests.get("free", "other.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("t")).hasSize(2);
        assertThat(dispatch.caller.startsOf("free")).hasSize(5);
    }

    @Test
    void everyEventOfATargetWithARateDrawsFromTheTargetsBucketWhateverItsKey() {
        VirtualDispatch dispatch = new VirtualDispatch(
                "courier.targets.payments.base-url", "https://payments.example.com",
                "courier.targets.payments.rate", "1");

        dispatch.submit(Requests.toTarget("a", "payments", "payments.example.com", "tenant-a"));
        dispatch.submit(Requests.toTarget("b", "payments", "payments.example.com", "tenant-b"));
        dispatch.submit(Requests.toTarget("c", "payments", "payments.example.com", "tenant-c"));
        dispatch.submit(Requests.get("free", "payments.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(List.of(dispatch.caller.startsOf("a").get(0), dispatch.caller.startsOf("b").get(0),
                dispatch.caller.startsOf("c").get(0)))
                .containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(dispatch.caller.startsOf("free")).as("a free URL has no per-key limit here")
                .containsExactly(Duration.ZERO);
    }
}
