package dev.courier.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/courier.jar ...} as a child process, as a user or an orchestrator runs it. */
public final class CourierProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "courier.jar");

    private final Process process;
    private final Path log;
    private volatile boolean stopped;

    private CourierProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code courier <args> -Dkey=value...}; its output goes to a log file under target/. {@code courier run}
     * gets its admin server on a free port of 127.0.0.1, and no status view, unless {@code settings} say otherwise.
     */
    public static CourierProcess start(Map<String, String> settings, String... args) throws IOException {
        if (!JAR.toFile().exists()) {
            throw new IllegalStateException("target/courier.jar is missing; run 'mvn package' first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Map<String, String> withAdmin = new java.util.LinkedHashMap<>();
        if (args[0].equals("run")) {
            // the admin server on a free port of the loopback address: tests run several instances at once
            withAdmin.put("courier.admin.port", "0");
            withAdmin.put("courier.admin.bind", "127.0.0.1");
            // no status view (a Kafka Streams application per process) unless the test is about it: StatusViewIT
            withAdmin.put("courier.status.enabled", "false");
        }
        withAdmin.putAll(settings);
        withAdmin.forEach((key, value) -> command.add("-D" + key + "=" + value));
        Path log = Path.of("target", "courier-" + args[0] + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new CourierProcess(process, log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is drained or committed. */
    public void kill() throws InterruptedException {
        stopped = true;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code, waiting at most {@code seconds}; -1 if it did not exit. */
    public int terminate(int seconds) throws InterruptedException {
        stopped = true;
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** SIGSTOP: the process is frozen, as a stalled machine or a long garbage collection would freeze it. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs on, unaware of the time it lost. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the process ended without being killed or terminated by the test. */
    public boolean exitedByItself() {
        return !stopped && !process.isAlive();
    }

    public String output() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** The last {@code chars} characters of the output, for a failure message; never throws. */
    public String outputTail(int chars) {
        try {
            String output = output();
            return output.length() <= chars ? output : "..." + output.substring(output.length() - chars);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
