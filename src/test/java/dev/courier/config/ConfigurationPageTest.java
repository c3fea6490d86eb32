package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is what {@link ConfigurationPage} renders from {@link SettingKeys}, character for character:
 * a setting added, removed, retyped, given another default or described anew fails here until the page is written
 * again ({@code -Dcourier.docs.write=true} writes it, then this compares).
 */
class ConfigurationPageTest {

    @Test
    void theConfigurationPageIsTheOneRenderedFromTheSettingsCatalog() throws Exception {
        if (Boolean.getBoolean("courier.docs.write")) {
            ConfigurationPage.write();
        }

        String onDisk = Files.readString(ConfigurationPage.PAGE, StandardCharsets.UTF_8);

        assertThat(onDisk).as("%s is generated from SettingKeys; write it again with mvn -q test-compile surefire:test"
                + " -Dtest=ConfigurationPageTest -Dcourier.docs.write=true", ConfigurationPage.PAGE)
                .isEqualTo(ConfigurationPage.render());
    }

    @Test
    void everyDocumentedSettingHasExactlyOneRowOnThePage() throws Exception {
        String page = Files.readString(ConfigurationPage.PAGE, StandardCharsets.UTF_8);

        for (SettingKey<?> key : SettingKeys.documented()) {
            String row = "| `" + key.key() + "` |";
            assertThat(page.indexOf(row)).as("a row for %s", key.key()).isNotNegative();
            assertThat(page.indexOf(row)).as("one row for %s", key.key()).isEqualTo(page.lastIndexOf(row));
        }
    }

    @Test
    void aSettingThatFitsNoAreaOfThePageCannotBeLeftOut() {
        assertThat(ConfigurationPage.AREAS.stream().filter(area -> area.holds().test("courier.unheard-of")))
                .as("no area holds an unknown prefix, so render() would refuse a new key until it is placed")
                .isEmpty();
    }

    @Test
    void aPipeInATypeOrDefaultDoesNotSplitItsTableCell() throws Exception {
        String page = Files.readString(ConfigurationPage.PAGE, StandardCharsets.UTF_8);

        assertThat(page).contains("| `courier.ordering` | unordered\\|key\\|partition |");
        page.lines().filter(line -> line.startsWith("| `")).forEach(line ->
                assertThat(line.replace("\\|", "").chars().filter(c -> c == '|').count())
                        .as("a row of four cells: %s", line).isEqualTo(5));
    }
}
