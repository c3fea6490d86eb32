package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.dispatch.DispatchState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StateSamplerTest {

    private static final DispatchState ONE_KEY = new DispatchState(
            List.of(new DispatchState.KeyStatus("a", 10, 1, 0)), List.of());

    private final List<CompletableFuture<DispatchState>> asked = new ArrayList<>();
    private final List<DispatchState> published = new ArrayList<>();
    private final StateSampler sampler = new StateSampler(this::ask, published::add, Runnable::run, null);

    private CompletableFuture<DispatchState> ask() {
        CompletableFuture<DispatchState> answer = new CompletableFuture<>();
        asked.add(answer);
        return answer;
    }

    @Test
    void asksNothingMoreWhileTheDispatchThreadHasNotAnswered() {
        sampler.sample();
        sampler.sample();
        sampler.sample();

        assertThat(asked).hasSize(1);
        assertThat(published).isEmpty();
    }

    @Test
    void publishesEachAnswerAndAsksAgainOnceAnswered() {
        sampler.sample();
        asked.get(0).complete(ONE_KEY);
        sampler.sample();

        assertThat(published).containsExactly(ONE_KEY);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aFailedAnswerPublishesNothingAndTheNextQuestionIsAsked() {
        sampler.sample();
        asked.get(0).completeExceptionally(new IllegalStateException("closed"));
        sampler.sample();

        assertThat(published).isEmpty();
        assertThat(asked).hasSize(2);
    }

    @Test
    void onItsTimerItKeepsPublishingUntilClosed() {
        List<DispatchState> seen = new CopyOnWriteArrayList<>();
        try (StateSampler timed = StateSampler.start(Duration.ofMillis(10),
                () -> CompletableFuture.completedFuture(ONE_KEY), seen::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
        }
    }
}
