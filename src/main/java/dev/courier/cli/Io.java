package dev.courier.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The streams and environment a command runs with, so tests can run commands in-process.
 *
 * @param in             standard input
 * @param out            standard output: the command's data (JSON lines, addresses)
 * @param err            standard error: diagnostics and summaries
 * @param environment    environment variables, read for {@code COURIER_*} settings and {@code NO_COLOR}
 * @param errIsTerminal  whether standard error is a terminal: only then do commands draw progress bars, which
 *                       rewrite their line with carriage returns and, unless {@code NO_COLOR} is set, use colour
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment,
        boolean errIsTerminal) {

    /** Streams that are not a terminal, such as files, pipes and the buffers of tests. */
    public Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this(in, out, err, environment, false);
    }

    public static Io system() {
        return new Io(System.in, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8), System.getenv(),
                Terminals.isTerminal(Terminals.STDERR));
    }

    /** Whether colour is allowed: the <a href="https://no-color.org">NO_COLOR</a> convention, any non-empty value. */
    boolean colour() {
        String noColor = environment.get("NO_COLOR");
        return noColor == null || noColor.isEmpty();
    }
}
