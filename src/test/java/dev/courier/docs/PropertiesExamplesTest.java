package dev.courier.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.courier.config.SettingSources;
import dev.courier.config.SettingsLoader;
import dev.courier.testkit.MarkdownBlocks;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code properties} example in the README and the manual is a file Courier loads as it reads: no value
 * carries a comment (a properties file keeps {@code # ...} after a value as part of it), and the settings load,
 * with the environment variables the example refers to set.
 */
class PropertiesExamplesTest {

    private static final Pattern ABSOLUTE_FILE = Pattern.compile("^([^=#]+-file=)(/\\S+)$");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    @TempDir
    Path dir;

    @Test
    void noValueInAPropertiesExampleEndsInAComment() throws IOException {
        List<MarkdownBlocks.Block> blocks = examples();

        assertThat(blocks).as("properties examples in the README and docs/").hasSizeGreaterThanOrEqualTo(4);
        for (MarkdownBlocks.Block block : blocks) {
            Properties properties = new Properties();
            properties.load(new StringReader(block.text()));
            properties.forEach((key, value) -> assertThat(value.toString())
                    .as("%s in the example at line %d, under \"%s\"", key, block.line(), block.section())
                    .doesNotContainPattern("\\s#"));
        }
    }

    @Test
    void everyPropertiesExampleLoadsAsCourierSettings() throws IOException {
        for (MarkdownBlocks.Block block : examples()) {
            Path file = Files.writeString(dir.resolve("example-" + block.line() + ".properties"),
                    withStandInFiles(block.text()));
            Map<String, String> environment = new HashMap<>();
            Matcher reference = ENV_REFERENCE.matcher(block.text());
            while (reference.find()) {
                environment.put(reference.group(1), "stand-in-for-" + reference.group(1));
            }

            assertThatCode(() -> SettingsLoader.loadLeavingSecretsUnread(
                    SettingSources.none().withFile(file).withEnvironment(environment)))
                    .as("the example at line %d, under \"%s\"", block.line(), block.section())
                    .doesNotThrowAnyException();
        }
    }

    /**
     * The example with each absolute file it names ({@code /etc/courier/payments-ca.pem}) stood in for by a file of
     * that name under the test's directory: the settings check that such files exist and can be read.
     */
    private String withStandInFiles(String text) throws IOException {
        StringBuilder relocated = new StringBuilder();
        for (String line : text.split("\n")) {
            Matcher file = ABSOLUTE_FILE.matcher(line);
            if (!line.startsWith("#") && file.matches()) {
                Path standIn = dir.resolve("files").resolve(file.group(2).substring(1));
                Files.createDirectories(standIn.getParent());
                Files.writeString(standIn, "stand-in for " + file.group(2));
                line = file.group(1) + standIn;
            }
            relocated.append(line).append('\n');
        }
        return relocated.toString();
    }

    private static List<MarkdownBlocks.Block> examples() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages.stream().flatMap(page -> MarkdownBlocks.of(page).all("properties").stream()).toList();
    }
}
