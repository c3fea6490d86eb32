package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table is the catalog in {@link SettingKeys}, row for row. */
class ReadmeSettingsTableTest {

    private static final String START = "<!-- settings-table:start -->";
    private static final String END = "<!-- settings-table:end -->";

    @Test
    void theReadmeListsEverySettingWithItsTypeAndDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the marker " + START).isNotNegative();
        assertThat(end).as("README.md has the marker " + END).isGreaterThan(start);

        String documented = readme.substring(start + START.length(), end).strip();

        assertThat(documented).as("README settings table; paste the expected text between the markers")
                .isEqualTo(table());
    }

    static String table() {
        StringBuilder table = new StringBuilder("| Key | Type | Default | Meaning |\n|---|---|---|---|\n");
        for (SettingKey<?> key : SettingKeys.documented()) {
            table.append("| `").append(key.key()).append("` | ").append(key.type()).append(" | ")
                    .append(key.defaultText() == null || key.defaultText().isEmpty() ? "—" : "`" + key.defaultText() + "`").append(" | ")
                    .append(key.description()).append(" |\n");
        }
        return table.toString().strip();
    }
}
