package dev.courier.cli;

import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sample events of {@code courier demo}: a mix that takes every path an event can take against
 * the {@link dev.courier.sandbox.DemoTarget}, keyed by 150 customers so key ordering matters.
 */
final class DemoEvents {

    /** The named target the demo configures for its target API. */
    static final String TARGET = "demo";

    /** One event to publish: its Kafka key and the request. */
    record Sample(String key, RequestSpec request) {
    }

    private DemoEvents() {
    }

    /**
     * {@code count} events, of which (out of every 20) 11 succeed, 2 fail twice with 503 then succeed,
     * 2 get 404, 2 get 429 with Retry-After then succeed, 1 is too slow for its timeout, 1 has a
     * deadline already past and 1 names a target that is not configured.
     */
    static List<Sample> of(int count, URI target, Instant now) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("demo-%05d", i);
            String key = "customer-" + (i % 150);
            samples.add(new Sample(key, switch (i % 20) {
                case 11, 12 -> request(id, "PUT", target + "/flaky?n=" + i, null, null, json("{\"n\":" + i + "}"), null);
                case 13, 14 -> request(id, "GET", target + "/missing?n=" + i, null, null, null, null);
                case 15, 16 -> request(id, "GET", target + "/rate-limited?n=" + i, null, null, null, null);
                case 17 -> new RequestSpec(id, "POST", target + "/slow?n=" + i, null, null, Map.of(), json("{}"),
                        "application/json", 300L, 2, null, "slow-" + i, null, null, Map.of("demo", "slow"));
                case 18 -> new RequestSpec(id, "DELETE", target + "/ok?n=" + i, null, null, Map.of(), null, null, null,
                        null, now.minusSeconds(60), null, null, null, Map.of("demo", "expired"));
                case 19 -> request(id, "GET", null, "billing", "/invoices/" + i, null, null);
                default -> i % 2 == 0
                        ? request(id, "GET", target + "/ok?n=" + i, null, null, null, "c-" + i)
                        : request(id, "POST", null, TARGET, "/ok?n=" + i, json("{\"order\":" + i + "}"), "c-" + i);
            }));
        }
        return samples;
    }

    private static RequestSpec request(String id, String method, String url, String target, String path, Bytes body,
            String correlationId) {
        return new RequestSpec(id, method, url, target, path, Map.of("X-Demo", "courier"), body,
                body == null ? null : "application/json", null, null, null, null, correlationId, null, Map.of());
    }

    private static Bytes json(String text) {
        return Bytes.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
