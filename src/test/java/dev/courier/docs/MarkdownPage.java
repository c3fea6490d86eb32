package dev.courier.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown page as far as links go: the links it holds (outside code) and the anchors it offers, as GitHub makes
 * them from headings.
 */
record MarkdownPage(List<Link> links, Set<String> anchors) {

    /** A link's destination and the line it is on (from 1). */
    record Link(String destination, int line) {
    }

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]*)>?"
            + "(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern HTML_HREF = Pattern.compile("<a\\s+[^>]*href=\"([^\"]+)\"");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    static MarkdownPage read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Link> links = new ArrayList<>();
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (fence != null) {
                if (trimmed.startsWith(fence)) {
                    fence = null;
                }
                continue;
            }
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fence = trimmed.substring(0, 3);
                continue;
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                anchors.add(id.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher reference = REFERENCE.matcher(text);
            if (reference.matches()) {
                links.add(new Link(reference.group(1), i + 1));
                continue;
            }
            Matcher link = INLINE_LINK.matcher(text);
            while (link.find()) {
                links.add(new Link(link.group(1), i + 1));
            }
            Matcher href = HTML_HREF.matcher(text);
            while (href.find()) {
                links.add(new Link(href.group(1), i + 1));
            }
        }
        return new MarkdownPage(List.copyOf(links), Set.copyOf(anchors));
    }

    /**
     * GitHub's anchor for a heading: its text as shown (code marks, emphasis marks and link targets gone), lower
     * case, every character but letters, digits, spaces, {@code -} and {@code _} dropped, spaces as {@code -}.
     */
    static String slug(String heading) {
        String shown = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder slug = new StringBuilder();
        shown.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
