package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("methd", "method")).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test
    void suggestsTheClosestCandidate() {
        assertThat(Suggestions.nearest("methd", List.of("method", "headers", "url"))).contains("method");
    }

    @Test
    void ignoresCaseAndSuggestsForShortNames() {
        assertThat(Suggestions.nearest("URL", List.of("url", "target", "path"))).contains("url");
        assertThat(Suggestions.nearest("ur", List.of("url", "target", "path"))).contains("url");
    }

    @Test
    void suggestsNothingWhenEveryCandidateIsFarAway() {
        assertThat(Suggestions.nearest("colour", List.of("url", "target", "path"))).isEmpty();
        assertThat(Suggestions.nearest("zzzzzz", List.of("method", "headers"))).isEmpty();
    }
}
