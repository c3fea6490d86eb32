package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help a newcomer can read and copy from: {@code courier help COMMAND} works as {@code courier COMMAND --help} does,
 * no line of any help cuts a word (a file name, a setting's key, a URL) in two, and references in the texts show as
 * written.
 */
class HelpTextTest {

    @Test
    void helpFollowedByACommandPrintsThatCommandsHelp() {
        Cli.Run help = Cli.run("help", "run");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).isEqualTo(Cli.run("run", "--help").out());
    }

    @Test
    void helpAloneListsTheCommands() {
        Cli.Run help = Cli.run("help");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).startsWith("Usage: courier").contains("  run ").contains("  help ");
    }

    @Test
    void noHelpLineCutsAWordOfTheTextsInTwo() {
        Set<String> words = new HashSet<>();
        List<String> commands = new ArrayList<>();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), Map.of());
        collect(new CommandLine(new CourierCommand(), new IoFactory(io)).getCommandSpec(), words, commands);

        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.remove("courier");
            args.add("--help");
            Cli.Run help = Cli.run(args.toArray(String[]::new));
            String[] lines = help.out().split("\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                String[] end = lines[i].strip().split("\\s+");
                String[] start = lines[i + 1].strip().split("\\s+");
                String joined = end[end.length - 1] + start[0];
                assertThat(words).as("'%s' is cut after '%s' in the help of %s:%n%s", joined, end[end.length - 1],
                        command, help.out()).doesNotContain(joined);
            }
        }
    }

    @Test
    void referencesInTheTextsShowAsWritten() {
        assertThat(Cli.run("run", "--help").out()).contains("(${env:VAR}, ${file:PATH})").doesNotContain("null");
    }

    /** The words of every command's description, options and parameters, and each command's qualified name. */
    private static void collect(CommandSpec spec, Set<String> words, List<String> commands) {
        commands.add(spec.qualifiedName());
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        for (ArgSpec arg : spec.args()) {
            texts.addAll(List.of(arg.description()));
        }
        for (String text : texts) {
            for (String word : text.split("\\s+")) {
                words.add(word);
            }
        }
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), words, commands));
    }
}
