package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A comment after a value is found on the logical lines Properties reads, and only where Properties keeps it. */
class TrailingCommentsTest {

    @Test
    void aCommentAfterAValueIsFoundWhateverSeparatesTheKeyAndWhateverWhitespacePrecedesIt() throws IOException {
        String text = "a=1 # one\nb : 2\t# two\nc 3 # three\n";

        assertThat(TrailingComments.in(text)).containsExactly(new TrailingComments.Found("a", 1, "# one"),
                new TrailingComments.Found("b", 2, "# two"), new TrailingComments.Found("c", 3, "# three"));
        assertThat(load(text).getProperty("c")).as("what Properties makes of it").isEqualTo("3 # three");
    }

    @Test
    void commentLinesEscapedHashesAndHashesInsideAWordAreNotComments() throws IOException {
        String text = "# a comment\n  ! another\nurl=https://example.com/#top\nnote=issue \\#42\nempty=\nkey\\ with\\ space=x#y\n";

        assertThat(TrailingComments.in(text)).isEmpty();
        assertThat(load(text).getProperty("note")).isEqualTo("issue #42");
    }

    @Test
    void aContinuedValueIsReportedAtTheLineItStartsOn() {
        String text = "first=1\nlist=a,\\\n     b,\\\n     c   # the last\n";

        assertThat(TrailingComments.in(text)).containsExactly(new TrailingComments.Found("list", 2, "# the last"));
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
