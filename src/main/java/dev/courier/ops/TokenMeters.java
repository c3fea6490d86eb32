package dev.courier.ops;

import dev.courier.http.TokenFetch;
import dev.courier.http.TokenListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The OAuth2 targets' token metrics: {@code courier_target_token_fetches_total{target,result}}, the requests to each
 * target's token endpoint by how they ended ({@link TokenFetch}), and {@code courier_target_token_age_seconds{target}},
 * how long ago the token its calls use was asked for (NaN while it has none). Labels are the operator's target names
 * and Courier's own results, so they are bounded; no token or secret reaches a metric. Thread-safe.
 */
public final class TokenMeters implements TokenListener {

    private final MeterRegistry registry;
    private final Map<String, Counter> fetches = new ConcurrentHashMap<>();

    public TokenMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void watch(String target, Supplier<Optional<Duration>> tokenAge) {
        Gauge.builder("courier.target.token.age", () -> tokenAge.get().map(age -> age.toNanos() / 1e9)
                        .orElse(Double.NaN))
                .tag("target", target)
                .baseUnit("seconds")
                .description("How long ago the access token an OAuth2 target's calls use was asked for; NaN while"
                        + " it has none")
                .register(registry);
    }

    @Override
    public void fetched(String target, TokenFetch result) {
        fetches.computeIfAbsent(target + "\n" + result.label(), key -> Counter.builder("courier.target.token.fetches")
                .tag("target", target)
                .tag("result", result.label())
                .description("Requests to each OAuth2 target's token endpoint, by how they ended: success, rejected"
                        + " (4xx), error_status, invalid_response, unreachable")
                .register(registry)).increment();
    }
}
