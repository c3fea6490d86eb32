package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StartRetryTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aStepThatTimesOutIsAskedAgainUntilItAnswers() {
        AtomicInteger tries = new AtomicInteger();

        String value = StartRetry.untilTimeout(Duration.ofSeconds(15), () -> {
            now.addAndGet(Duration.ofSeconds(5).toNanos()); // each try waits out the client's max.block.ms
            if (tries.incrementAndGet() < 3) {
                throw new TimeoutException("awaiting InitProducerId");
            }
            return "started";
        }, e -> new EngineException("gave up"), now::get);

        assertThat(value).isEqualTo("started");
        assertThat(tries).hasValue(3);
    }

    @Test
    void pastTheStartUpsWaitTheLastTimeoutBecomesTheCommandsError() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> StartRetry.untilTimeout(Duration.ofSeconds(15), () -> {
            tries.incrementAndGet();
            now.addAndGet(Duration.ofSeconds(5).toNanos());
            throw new TimeoutException("awaiting InitProducerId");
        }, e -> new EngineException("Kafka did not answer within 15s", e), now::get))
                .isInstanceOf(EngineException.class).hasMessage("Kafka did not answer within 15s")
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(tries).hasValue(3);
    }

    @Test
    void otherFailuresAreNotRepeated() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> StartRetry.untilTimeout(Duration.ofSeconds(15), () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("refused");
        }, e -> new EngineException("gave up"), now::get)).isInstanceOf(IllegalStateException.class);
        assertThat(tries).hasValue(1);
    }
}
