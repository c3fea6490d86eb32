package dev.courier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown page, each with its language and the {@code ##} section it is under, so a
 * test can run what a page shows instead of a copy of it.
 */
public final class MarkdownBlocks {

    /** One fenced block: the language after the opening fence, the section's title, the text between the fences. */
    public record Block(String language, String section, String text, int line) {
    }

    private final Path page;
    private final List<Block> blocks;

    private MarkdownBlocks(Path page, List<Block> blocks) {
        this.page = page;
        this.blocks = blocks;
    }

    /** Reads {@code page}. */
    public static MarkdownBlocks of(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            } else if (line.startsWith("```")) {
                String language = line.substring(3).trim();
                StringBuilder text = new StringBuilder();
                int start = i + 1;
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(language, section, text.toString(), start));
            }
        }
        return new MarkdownBlocks(page, List.copyOf(blocks));
    }

    public List<Block> all() {
        return blocks;
    }

    /** Every block of {@code language}, in page order. */
    public List<Block> all(String language) {
        return blocks.stream().filter(block -> block.language().equals(language)).toList();
    }

    /** The blocks of section {@code section} (a {@code ##} heading), in page order; fails when it has none. */
    public List<Block> in(String section) {
        List<Block> found = blocks.stream().filter(block -> block.section().equals(section)).toList();
        if (found.isEmpty()) {
            throw new AssertionError(page + " has no code under the heading \"## " + section + "\"");
        }
        return found;
    }

    /** The {@code index}-th block (from 0) of {@code language} in section {@code section}. */
    public Block in(String section, String language, int index) {
        List<Block> found = in(section).stream().filter(block -> block.language().equals(language)).toList();
        if (index >= found.size()) {
            throw new AssertionError(page + ", \"## " + section + "\": expected at least " + (index + 1) + " "
                    + language + " blocks, found " + found.size());
        }
        return found.get(index);
    }
}
