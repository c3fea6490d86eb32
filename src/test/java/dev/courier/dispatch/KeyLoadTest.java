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
        load.entered("a");
        load.entered("a");
        assertThat(load.hasRoom("a")).isFalse();

        load.left("a");
        assertThat(load.parked()).isZero();
        assertThat(load.hasRoom("a")).isTrue();
        load.left("a");
        load.left("a");
        assertThat(load.parked()).as("a key that is not there any more changes nothing").isZero();
    }
}
