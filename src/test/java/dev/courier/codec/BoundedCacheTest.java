package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void holdsNoMoreThanItsBoundAndEvictsTheLeastRecentlyUsed() {
        BoundedCache<String, Integer> cache = new BoundedCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo(1);
        assertThat(cache.get("c")).isEqualTo(3);
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatThrownBy(() -> new BoundedCache<>(0))
                .hasMessage("maxEntries must be at least 1, got 0");
    }
}
