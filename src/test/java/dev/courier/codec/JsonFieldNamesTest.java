package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFieldNamesTest {

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(JsonFieldNames.editDistance("methd", "method")).isEqualTo(1);
    assertThat(JsonFieldNames.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(JsonFieldNames.editDistance("", "abc")).isEqualTo(3);
    assertThat(JsonFieldNames.editDistance("same", "same")).isZero();
  }

  @Test
  void theNearestNameIsSuggestedOnlyWhenItIsNear() {
    List<String> known = List.of("url", "target", "path");

    assertThat(JsonFieldNames.nearest("ur", known)).isEqualTo("url");
    assertThat(JsonFieldNames.nearest("URL", known)).isEqualTo("url");
    assertThat(JsonFieldNames.nearest("colour", known)).isNull();
  }
}
