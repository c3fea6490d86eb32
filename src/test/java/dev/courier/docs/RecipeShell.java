package dev.courier.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a recipe's shell lines with bash, as a newcomer pastes them: {@code courier} is {@code java -jar
 * target/courier.jar}, as the README's alias makes it, and the settings that point Courier at the test's broker,
 * registry, topics and targets come as {@code COURIER_*} environment variables (so the lines run as written). A line
 * that starts {@code courier run} is a service: it is started in the background, as in a terminal of its own.
 *
 * <p>Every wait is bounded; {@link #close()} stops the services still running.
 */
final class RecipeShell implements AutoCloseable {

    private static final Path JAR = Path.of("target", "courier.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** How the recipes' {@code courier} runs: the README's alias, with a heap bound for a machine of shared cores. */
    private static final String COURIER = "courier() { \"$RECIPE_JAVA\" -Xmx256m -jar \"$RECIPE_JAR\" \"$@\"; }\n";
    private static final String SERVICE = "courier() { exec \"$RECIPE_JAVA\" -Xmx384m -jar \"$RECIPE_JAR\" \"$@\"; }\n";

    /** What a script printed and how it ended. */
    record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path dir;
    private final Map<String, String> environment;
    private final List<Service> services;

    /** @param dir the working directory (where {@code courier.properties} is); @param environment added to bash's */
    RecipeShell(Path dir, Map<String, String> environment) {
        this(dir, environment, new ArrayList<>());
    }

    private RecipeShell(Path dir, Map<String, String> environment, List<Service> services) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("target/courier.jar is missing; run 'mvn package' first");
        }
        this.dir = dir;
        this.environment = new LinkedHashMap<>(environment);
        this.services = services;
    }

    /**
     * This shell with {@code more} environment variables (for a command that runs with other settings); the services
     * it starts are this shell's too, and stop with it.
     */
    RecipeShell with(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.putAll(more);
        return new RecipeShell(dir, merged, services);
    }

    /**
     * Runs a recipe's lines in order: each {@code courier run} line starts a service (waiting until it has joined its
     * group), and the lines between run as one bash script ({@code set -eo pipefail}) each. Returns the scripts'
     * results, in order.
     */
    List<Result> runRecipe(String lines, Duration timeout) throws Exception {
        List<Result> results = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : joinContinuations(lines)) {
            if (line.strip().startsWith("courier run")) {
                if (!pending.isEmpty()) {
                    results.add(run(pending.toString(), timeout));
                    pending.setLength(0);
                }
                start(line).awaitLog(Pattern.compile("Assigned \\["), timeout);
            } else {
                pending.append(line).append('\n');
            }
        }
        if (!pending.isEmpty()) {
            results.add(run(pending.toString(), timeout));
        }
        return results;
    }

    /** Runs {@code script} with bash ({@code set -eo pipefail}), waiting at most {@code timeout}. */
    Result run(String script, Duration timeout) throws Exception {
        Process process = bash("set -eo pipefail\n" + COURIER + script, null);
        // read both streams while it runs, so a chatty command cannot block on a full pipe
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        drain(process.getInputStream(), out);
        drain(process.getErrorStream(), err);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the script did not end within " + timeout + ":\n" + script);
        }
        return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    /** Starts {@code line} (a {@code courier run ...} line) in the background, as in a terminal of its own. */
    Service start(String line) throws IOException {
        Path log = Files.createTempFile(dir, "service-", ".log");
        Service service = new Service(bash(SERVICE + line, log), log);
        services.add(service);
        return service;
    }

    private Process bash(String script, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
        builder.environment().put("RECIPE_JAVA", JAVA);
        builder.environment().put("RECIPE_JAR", JAR.toString());
        builder.environment().putAll(environment);
        if (log != null) {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return builder.start();
    }

    private static void drain(java.io.InputStream stream, java.util.concurrent.CompletableFuture<String> into) {
        Thread reader = new Thread(() -> {
            try {
                into.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                into.completeExceptionally(e);
            }
        }, "recipe-shell-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A recipe's lines with {@code \}-continued lines joined, as bash reads them. */
    static List<String> joinContinuations(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1);
            } else {
                lines.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    @Override
    public void close() {
        for (Service service : services) {
            service.process.destroyForcibly();
        }
    }

    /** A {@code courier run} started by a recipe: the process is the JVM itself (bash exec'd it). */
    static final class Service {

        private final Process process;
        private final Path log;

        private Service(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        /** Waits at most {@code timeout} for a line of its log to match {@code pattern}; the first match. */
        Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher matcher = pattern.matcher(log());
                if (matcher.find()) {
                    return matcher;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("courier run exited (" + process.exitValue() + ") before its log matched "
                            + pattern + ":\n" + tail());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("courier run's log did not match " + pattern + " within " + timeout + ":\n"
                    + tail());
        }

        /** Waits at most {@code timeout} until its log holds {@code what} more than {@code times} times. */
        void awaitMoreThan(String what, int times, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count(log(), what) <= times) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("courier run's log did not hold " + what + " more than " + times
                            + " times within " + timeout + ":\n" + tail());
                }
                Thread.sleep(200);
            }
        }

        /** How many times its log holds {@code what}. */
        int count(String what) {
            return count(log(), what);
        }

        private static int count(String text, String what) {
            return text.split(Pattern.quote(what), -1).length - 1;
        }

        /** The port of its admin server, as it logs it. */
        int adminPort(Duration timeout) throws InterruptedException {
            return Integer.parseInt(awaitLog(Pattern.compile("Admin server on [0-9.]+:(\\d+)"), timeout).group(1));
        }

        /** Ctrl-C: SIGINT, then its exit code, waiting at most {@code timeout}. */
        int interrupt(Duration timeout) throws Exception {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -INT " + process.pid() + " failed");
            }
            return exitCode(timeout);
        }

        /** SIGTERM, as an orchestrator stops it, then its exit code, waiting at most {@code timeout}. */
        int terminate(Duration timeout) throws Exception {
            process.destroy();
            return exitCode(timeout);
        }

        private int exitCode(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("courier run did not exit within " + timeout + ":\n" + tail());
            }
            return process.exitValue();
        }

        String tail() {
            String text = log();
            return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
        }
    }
}
