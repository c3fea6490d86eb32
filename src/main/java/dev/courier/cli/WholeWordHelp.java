package dev.courier.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Picocli's help, with lines broken only at spaces. Picocli breaks a line wherever Java's line
 * {@link java.text.BreakIterator} allows, which includes after a {@code .}, a {@code /} or a {@code ?}: a file name,
 * a setting's key or a URL was cut in two ({@code examples/courier.} at the end of one line, {@code properties} at
 * the start of the next), and could not be copied from the help. Here the descriptions, the option and parameter
 * lists and the command list keep each word whole; only a word longer than its column is still cut. The layout is
 * otherwise picocli's own. Stateless apart from picocli's.
 */
final class WholeWordHelp extends CommandLine.Help {

    WholeWordHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    /** Picocli's option and parameter layout, on a table that breaks lines at spaces. */
    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
            ColorScheme scheme) {
        Layout layout = super.createDefaultLayout(options, positionals, scheme);
        TextTable table = new Table(scheme, layout.textTable().columns());
        table.indentWrappedLines = layout.textTable().indentWrappedLines;
        table.setAdjustLineBreaksForWideCJKCharacters(layout.textTable().isAdjustLineBreaksForWideCJKCharacters());
        return new Layout(scheme, table, layout.optionRenderer(), layout.parameterRenderer());
    }

    /** The description, each of its paragraphs wrapped to the usage width, as picocli lays it out. */
    @Override
    public String description(Object... params) {
        UsageMessageSpec usage = commandSpec().usageMessage();
        TextTable table = new Table(colorScheme(), new Column(usage.width(), 0, Column.Overflow.WRAP));
        table.setAdjustLineBreaksForWideCJKCharacters(usage.adjustLineBreaksForWideCJKCharacters());
        table.indentWrappedLines = 0;
        for (String paragraph : usage.description()) {
            table.addRowValues(String.format(paragraph, params));
        }
        return table.toString();
    }

    /** The subcommands, each with the first line of its description, as picocli lays them out. */
    @Override
    public String commandList(Map<String, CommandLine.Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        UsageMessageSpec usage = commandSpec().usageMessage();
        int longest = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
        int commandWidth = Math.min(longest, usage.width() / 2);
        TextTable table = new Table(colorScheme(), new Column(commandWidth + 2, 2, Column.Overflow.SPAN),
                new Column(usage.width() - (commandWidth + 2), 2, Column.Overflow.WRAP));
        table.setAdjustLineBreaksForWideCJKCharacters(usage.adjustLineBreaksForWideCJKCharacters());
        for (CommandLine.Help help : subcommands.values()) {
            UsageMessageSpec sub = help.commandSpec().usageMessage();
            String first = sub.header().length > 0 ? sub.header()[0]
                    : sub.description().length > 0 ? sub.description()[0] : "";
            Text[] lines = colorScheme().text(String.format(first)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? help.commandNamesText(", ") : colorScheme().text(""), lines[i]);
            }
        }
        return table.toString();
    }

    /**
     * A text table whose wrapping columns break a value only at spaces: it hands picocli one line at a time, each of
     * which fits, so picocli's own breaking never cuts a word that fits a line.
     */
    private static final class Table extends TextTable {

        Table(ColorScheme scheme, Column... columns) {
            super(scheme, columns);
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns()[col];
            String plain = value == null ? "" : value.plainString();
            if (column.overflow != Column.Overflow.WRAP || plain.isEmpty() || plain.indexOf('\n') >= 0
                    || !textAt(row, col).plainString().isEmpty()) {
                return super.putValue(row, col, value);
            }
            int first = column.width - column.indent;
            List<int[]> lines = lines(plain, first, first - indentWrappedLines);
            Cell cell = super.putValue(row, col, value.substring(lines.get(0)[0], lines.get(0)[1]));
            Text indent = value.substring(0, 0).concat(" ".repeat(indentWrappedLines));
            for (int[] line : lines.subList(1, lines.size())) {
                addEmptyRow();
                cell = super.putValue(rowCount() - 1, col, indent.concat(value.substring(line[0], line[1])));
            }
            return cell;
        }

        /**
         * The lines of {@code text} broken at spaces, as {start, end} offsets: the first holds {@code first}
         * characters, the others {@code next}. A word longer than a line is a line of its own.
         */
        private static List<int[]> lines(String text, int first, int next) {
            List<int[]> lines = new ArrayList<>();
            int start = 0;
            while (start < text.length()) {
                int room = lines.isEmpty() ? first : next;
                if (text.length() - start <= room) {
                    lines.add(new int[] {start, text.length()});
                    break;
                }
                int end = text.lastIndexOf(' ', start + room - 1); // as picocli, a word fits with its space
                if (end <= start) {
                    end = text.indexOf(' ', start);
                    if (end < 0) {
                        lines.add(new int[] {start, text.length()});
                        break;
                    }
                }
                lines.add(new int[] {start, end});
                start = end;
                while (start < text.length() && text.charAt(start) == ' ') {
                    start++;
                }
            }
            return lines;
        }
    }
}
