package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.CircuitSettings;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One host's circuit breaker, in nanoseconds of virtual time. */
class HostCircuitTest {

    private static final long SECOND = 1_000_000_000L;
    private final HostCircuit circuit = new HostCircuit(new CircuitSettings(50, 0.5, Duration.ofSeconds(10), 3));

    private HostCircuit.Change call(boolean failed, long now) {
        assertThat(circuit.tryPermit(now)).isTrue();
        return circuit.record(circuit.epoch(), failed, now);
    }

    @Test
    void itOpensOnceHalfOfAtLeastTwentyCallsFailed() {
        for (int i = 0; i < 19; i++) {
            assertThat(call(true, i)).as("call " + (i + 1)).isEqualTo(HostCircuit.Change.NONE);
        }

        assertThat(call(true, 19)).isEqualTo(HostCircuit.Change.OPENED);
        assertThat(circuit.tryPermit(20)).isFalse();
    }

    @Test
    void aHostFailingOneCallInSixAtRandomNeverOpensIt() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            assertThat(call(random.nextDouble() < 1.0 / 6, i)).isEqualTo(HostCircuit.Change.NONE);
        }
    }

    @Test
    void afterItsWaitItLetsItsProbesThroughAndClosesWhenTheySucceed() {
        for (int i = 0; i < 20; i++) {
            call(true, 0);
        }
        assertThat(circuit.tryPermit(10 * SECOND - 1)).isFalse();

        int epoch = circuit.epoch();
        assertThat(circuit.tryPermit(10 * SECOND)).isTrue();
        assertThat(circuit.tryPermit(10 * SECOND)).isTrue();
        assertThat(circuit.tryPermit(10 * SECOND)).isTrue();
        assertThat(circuit.tryPermit(10 * SECOND)).as("three probes only").isFalse();
        assertThat(circuit.state()).isEqualTo(HostCircuit.State.HALF_OPEN);

        circuit.record(epoch + 1, false, 10 * SECOND);
        circuit.record(epoch + 1, true, 10 * SECOND);
        assertThat(circuit.record(epoch + 1, false, 10 * SECOND)).isEqualTo(HostCircuit.Change.CLOSED);
        assertThat(call(true, 11 * SECOND)).as("the count starts afresh").isEqualTo(HostCircuit.Change.NONE);
    }

    @Test
    void failedProbesOpenItForAnotherWait() {
        for (int i = 0; i < 20; i++) {
            call(true, 0);
        }
        circuit.tryPermit(10 * SECOND);
        circuit.tryPermit(10 * SECOND);
        int probes = circuit.epoch();

        circuit.record(probes, true, 10 * SECOND);
        assertThat(circuit.record(probes, true, 10 * SECOND)).isEqualTo(HostCircuit.Change.REOPENED);

        assertThat(circuit.tryPermit(19 * SECOND)).isFalse();
        assertThat(circuit.tryPermit(20 * SECOND)).isTrue();
    }

    @Test
    void aResultOfACallPermittedBeforeItOpenedIsNotAProbe() {
        int closedEpoch = circuit.epoch();
        assertThat(circuit.tryPermit(0)).isTrue(); // a slow call, let through while closed
        for (int i = 0; i < 20; i++) {
            call(true, 0);
        }
        circuit.tryPermit(10 * SECOND);

        assertThat(circuit.record(closedEpoch, false, 10 * SECOND)).isEqualTo(HostCircuit.Change.NONE);
        assertThat(circuit.state()).isEqualTo(HostCircuit.State.HALF_OPEN);
    }

    @Test
    void aProbeGivenBackLetsAnotherThrough() {
        for (int i = 0; i < 20; i++) {
            call(true, 0);
        }
        for (int i = 0; i < 3; i++) {
            circuit.tryPermit(10 * SECOND);
        }
        assertThat(circuit.tryPermit(10 * SECOND)).isFalse();

        circuit.release(circuit.epoch());

        assertThat(circuit.tryPermit(10 * SECOND)).isTrue();
    }
}
