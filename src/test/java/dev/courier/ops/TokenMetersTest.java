package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.http.TokenFetch;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenMetersTest {

    private final Metrics metrics = new Metrics();
    private final TokenMeters tokens = new TokenMeters(metrics.registry());

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void fetchesAreCountedByTargetAndResult() {
        tokens.fetched("payments", TokenFetch.SUCCESS);
        tokens.fetched("payments", TokenFetch.SUCCESS);
        tokens.fetched("payments", TokenFetch.UNREACHABLE);
        tokens.fetched("crm", TokenFetch.REJECTED);

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.value("courier_target_token_fetches_total", Map.of("target", "payments", "result", "success")))
                .isEqualTo(2);
        assertThat(scrape.value("courier_target_token_fetches_total",
                Map.of("target", "payments", "result", "unreachable"))).isEqualTo(1);
        assertThat(scrape.value("courier_target_token_fetches_total", Map.of("target", "crm", "result", "rejected")))
                .isEqualTo(1);
        assertThat(scrape.series("courier_target_token_fetches_total", Map.of())).hasSize(3);
    }

    @Test
    void theTokensAgeIsReadAtEachScrapeAndIsNaNWhileThereIsNone() {
        AtomicReference<Optional<Duration>> age = new AtomicReference<>(Optional.empty());
        tokens.watch("payments", age::get);

        double before = Scrape.parse(metrics.scrape()).value("courier_target_token_age_seconds",
                Map.of("target", "payments"));
        age.set(Optional.of(Duration.ofMillis(42_500)));
        double after = Scrape.parse(metrics.scrape()).value("courier_target_token_age_seconds",
                Map.of("target", "payments"));

        assertThat(before).isNaN();
        assertThat(after).isEqualTo(42.5);
    }
}
