package dev.courier.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown (the README, the manual in docs/, SECURITY.md, the CHANGELOG,
 * bench/) leads somewhere: the file or directory exists, and an anchor names a heading (or an explicit id) of the
 * page it points into, as GitHub makes them. Links to other sites are not followed.
 */
class MarkdownLinksTest {

    private static final Path ROOT = Path.of("");

    @Test
    void everyRelativeLinkAndAnchorInTheMarkdownResolves() throws IOException {
        List<Path> pages = markdownFiles();
        List<String> broken = new ArrayList<>();
        int checked = 0;

        for (Path page : pages) {
            for (MarkdownPage.Link link : MarkdownPage.read(page).links()) {
                String problem = problem(page, link);
                checked++;
                if (problem != null) {
                    broken.add(page + ":" + link.line() + ": (" + link.destination() + ") " + problem);
                }
            }
        }

        assertThat(pages).as("the pages checked").contains(Path.of("README.md"), Path.of("docs", "configuration.md"),
                Path.of("docs", "recipes.md"));
        assertThat(checked).as("links checked").isGreaterThan(50);
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void theCheckerFindsABrokenFileABrokenAnchorAndAcceptsAGoodOne(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("README.md"), """
                # Title

                ## The egress policy (on by default)

                See [this](#the-egress-policy-on-by-default), [that](docs/page.md#a-b-c), [gone](docs/none.md),
                [wrong](docs/page.md#nowhere), ![image](docs/page.md "a title") and `[inline](#nor-this)`.

                [reference]: docs/page.md#a-b-c

                ```text
                [fenced](#nor-this-one)
                ```
                """);
        Files.writeString(docs.resolve("page.md"), "# A, b: `c`\n\n[back](../README.md#title)\n");

        List<String> problems = new ArrayList<>();
        for (Path page : List.of(dir.resolve("README.md"), docs.resolve("page.md"))) {
            for (MarkdownPage.Link link : MarkdownPage.read(page).links()) {
                String problem = problem(page, link);
                if (problem != null) {
                    problems.add(link.destination() + " " + problem);
                }
            }
        }

        assertThat(problems).containsExactlyInAnyOrder("docs/none.md leads to no file",
                "docs/page.md#nowhere names no heading of docs/page.md");
    }

    /** Why {@code link} in {@code page} leads nowhere, or null when it resolves. */
    private static String problem(Path page, MarkdownPage.Link link) {
        String destination = link.destination();
        if (destination.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || destination.startsWith("//")) {
            return null; // another site, or mailto:
        }
        int hash = destination.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? destination : destination.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : destination.substring(hash + 1);
        Path parent = page.toAbsolutePath().getParent();
        Path target = path.isEmpty() ? page.toAbsolutePath() : parent.resolve(path).normalize();
        if (!Files.exists(target)) {
            return "leads to no file";
        }
        if (anchor == null || anchor.isEmpty() || !target.toString().endsWith(".md")) {
            return null;
        }
        Set<String> anchors;
        try {
            anchors = MarkdownPage.read(target).anchors();
        } catch (IOException e) {
            return "cannot be read: " + e;
        }
        return anchors.contains(URLDecoder.decode(anchor, StandardCharsets.UTF_8)) ? null
                : "names no heading of " + (path.isEmpty() ? "this page" : path.replaceFirst("^(\\.\\./)+", ""));
    }

    /** The repository's Markdown files, outside build output. */
    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".md"))
                    .map(file -> ROOT.toAbsolutePath().relativize(file.toAbsolutePath()))
                    .filter(file -> !file.startsWith("target") && !file.startsWith(".git")
                            && !file.startsWith(Path.of("bench", "target")) && !file.startsWith(".ci"))
                    .sorted().toList();
        }
    }
}
