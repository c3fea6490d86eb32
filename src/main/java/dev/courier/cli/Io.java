package dev.courier.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The streams and environment a command runs with, so tests can run commands in-process.
 *
 * @param in          standard input
 * @param out         standard output: the command's data (JSON lines, addresses)
 * @param err         standard error: diagnostics and summaries
 * @param environment environment variables, read for {@code COURIER_*} settings
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {

    public static Io system() {
        return new Io(System.in, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8), System.getenv());
    }
}
