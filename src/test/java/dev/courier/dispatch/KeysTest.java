package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bounded table of key states. */
class KeysTest {

    private final Keys<String> keys = new Keys<>(2, name -> new KeyState<>(name));

    @Test
    void beyondItsBoundTheKeyIdleLongestIsForgotten() {
        KeyState<String> a = keys.get("a");
        KeyState<String> b = keys.get("b");
        keys.idle(b);
        keys.idle(a);

        keys.get("c");

        assertThat(keys.peek("b")).isNull();
        assertThat(keys.peek("a")).isSameAs(a);
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void aKeyWithJobsIsKeptAndANewKeyIsNeverTheOneForgotten() {
        keys.get("a");
        keys.get("b");

        KeyState<String> c = keys.get("c");

        assertThat(keys.peek("c")).isSameAs(c);
        assertThat(keys.size()).as("over the bound while every key has jobs").isEqualTo(3);
    }

    @Test
    void aKeyHeldOverTheBoundIsForgottenOnceItIsIdle() {
        KeyState<String> a = keys.get("a");
        keys.get("b");
        keys.get("c");

        keys.idle(a);

        assertThat(keys.peek("a")).isNull();
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void aKeyThatIsUsedAgainIsNoLongerIdle() {
        KeyState<String> a = keys.get("a");
        keys.idle(a);
        keys.get("a");
        KeyState<String> b = keys.get("b");
        keys.idle(b);

        keys.get("c");

        assertThat(keys.peek("a")).as("a has a job again").isSameAs(a);
        assertThat(keys.peek("b")).isNull();
    }
}
