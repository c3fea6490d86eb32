package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNameStrategyTest {

    @Test
    void subjectsAreTheTopicNameWithValueOrKey() {
        assertThat(TopicNameStrategy.valueSubject("requests")).isEqualTo("requests-value");
        assertThat(TopicNameStrategy.keySubject("requests")).isEqualTo("requests-key");
    }
}
