package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The submitting threads' bounds on each key's events: counted, then parked, then no room. */
class KeyLoadTest {

    @Test
    void aKeyMayParkAsManyAsItCountsThenHasNoRoom() {
        KeyLoad load = new KeyLoad(2, 100);

        for (int i = 0; i < 4; i++) {
            assertThat(load.hasRoom("a")).isTrue();
            load.entered("a");
        }

        assertThat(load.hasRoom("a")).isFalse();
        assertThat(load.parked()).isEqualTo(2);
        assertThat(load.hasRoom("b")).as("other keys are not affected").isTrue();
    }

    @Test
    void parkedEventsAcrossKeysAreBoundedToo() {
        KeyLoad load = new KeyLoad(1, 2);
        for (String key : new String[] {"a", "a", "b", "b"}) {
            load.entered(key);
        }

        assertThat(load.parked()).isEqualTo(2);
        assertThat(load.hasRoom("c")).as("c would be counted, not parked").isTrue();
        load.entered("c");
        assertThat(load.hasRoom("c")).as("c would be parked, but the parking is full").isFalse();
    }

    @Test
    void anEventLeavingMakesRoomAndTheLastForgetsTheKey() {
        KeyLoad load = new KeyLoad(1, 10);
        KeyLoad.Count first = load.entered("a");
        KeyLoad.Count second = load.entered("a");
        assertThat(load.hasRoom("a")).isFalse();

        load.left(second);
        assertThat(load.parked()).isZero();
        assertThat(load.hasRoom("a")).isTrue();
        load.left(first);
        assertThat(load.hasRoom("a")).isTrue();
        assertThat(load.entered("a")).as("the key starts afresh").isNotSameAs(first);
    }

    @Test
    void threadsEnteringAndLeavingAtOnceLeaveEveryCountRight() throws Exception {
        KeyLoad load = new KeyLoad(2, 1_000_000);
        int threads = 4;
        int rounds = 200_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "k" + (t % 2); // two threads per key, so counts go to zero and come back under them
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        KeyLoad.Count one = load.entered(key);
                        KeyLoad.Count two = load.entered(key);
                        load.left(one);
                        load.left(two);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> each : done) {
                each.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(load.parked()).isZero();
        for (int i = 0; i < 3; i++) {
            load.entered("k0");
        }
        assertThat(load.parked()).as("three events of k0 from zero: two counted, one parked").isEqualTo(1);
    }
}
