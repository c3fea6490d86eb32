package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test
    void suggestsTheClosestCandidate() {
        assertThat(Suggestions.nearest("methd", List.of("method", "headers", "url"))).contains("method");
    }

    @Test
    void suggestsNothingWhenEveryCandidateIsFarAway() {
        assertThat(Suggestions.nearest("zzzzzz", List.of("method", "headers"))).isEmpty();
    }
}
