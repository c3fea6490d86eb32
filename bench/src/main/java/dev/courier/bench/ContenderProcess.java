package dev.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One contender running as its own JVM: started with a GC log, its output to a file, and a sampler thread that reads
 * every 50 ms its CPU time ({@code /proc/<pid>/stat}), the harness's own ({@code /proc/self/stat}: broker, registry,
 * target, watcher) and the whole machine's ({@code /proc/stat}), so the CPU spent in any window of wall time can be
 * interpolated, and CPU used by <em>other</em> processes on the machine (which would make the figures unfair) seen.
 */
final class ContenderProcess implements AutoCloseable {

    private static final long SAMPLE_MS = 50;
    /** Clock ticks per second of /proc's utime and stime: 100 on Linux for x86 and arm64. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    /** Contenders not yet stopped: killed if the harness exits first (Ctrl-C, a failure), so none is left behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-contenders"));
    }

    private final Process process;
    private final Path gcLog;
    private final Path output;
    // {wall ms, contender ticks, machine busy ticks, harness ticks}; guarded by itself
    private final List<long[]> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile long peakRssKb;

    private ContenderProcess(Process process, Path gcLog, Path output) {
        this.process = process;
        this.gcLog = gcLog;
        this.output = output;
        this.sampler = new Thread(this::sample, "cpu-sampler-" + process.pid());
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts {@code java <jvmOptions> <GC log option> <arguments>}.
     *
     * @param dir where the GC log and the output go, named after {@code name}
     */
    static ContenderProcess start(String name, List<String> jvmOptions, List<String> arguments, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path gcLog = dir.resolve(name + ".gc.log");
        Path output = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        LIVE.add(process);
        return new ContenderProcess(process, gcLog, output);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path output() {
        return output;
    }

    private void sample() {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        while (process.isAlive()) {
            try {
                long ticks = processTicks(stat);
                long machine = machineBusyTicks();
                long harness = processTicks(Path.of("/proc/self/stat"));
                synchronized (samples) {
                    samples.add(new long[] {System.currentTimeMillis(), ticks, machine, harness});
                }
                for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmHWM:")) {
                        peakRssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
                Thread.sleep(SAMPLE_MS);
            } catch (IOException | RuntimeException e) {
                return; // the process ended between the check and the read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** utime + stime of a process, from its {@code stat} file. */
    private static long processTicks(Path stat) throws IOException {
        String text = Files.readString(stat, StandardCharsets.US_ASCII);
        // the fields after the command name, which is in parentheses and may contain spaces
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Busy ticks of all CPUs: everything but idle and iowait, from the first line of /proc/stat. */
    private static long machineBusyTicks() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy;
    }

    /** CPU seconds (user + system) the process used between two wall-clock instants, interpolated from the samples. */
    double cpuSecondsBetween(long fromMs, long toMs) {
        return (ticksAt(toMs, 1) - ticksAt(fromMs, 1)) / TICKS_PER_SECOND;
    }

    /**
     * Cores used, on average between two instants, by processes other than this contender and the harness (another
     * build on the same machine, say). Near 0 on a quiet machine.
     */
    double otherCoresBetween(long fromMs, long toMs) {
        double seconds = Math.max(0.001, (toMs - fromMs) / 1000.0);
        double other = (ticksAt(toMs, 2) - ticksAt(fromMs, 2)) - (ticksAt(toMs, 1) - ticksAt(fromMs, 1))
                - (ticksAt(toMs, 3) - ticksAt(fromMs, 3));
        return Math.max(0, other / TICKS_PER_SECOND / seconds);
    }

    /** Cores used by the harness (broker, registry, target, outcome watcher) on average between two instants. */
    double harnessCoresBetween(long fromMs, long toMs) {
        double seconds = Math.max(0.001, (toMs - fromMs) / 1000.0);
        return (ticksAt(toMs, 3) - ticksAt(fromMs, 3)) / TICKS_PER_SECOND / seconds;
    }

    /** CPU seconds used from start to the last sample. */
    double cpuSecondsTotal() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1] / TICKS_PER_SECOND;
        }
    }

    private double ticksAt(long wallMs, int field) {
        synchronized (samples) {
            if (samples.isEmpty()) {
                return 0;
            }
            long[] before = samples.get(0);
            for (long[] sample : samples) {
                if (sample[0] >= wallMs) {
                    if (sample[0] == before[0]) {
                        return sample[field];
                    }
                    double fraction = (double) (wallMs - before[0]) / (sample[0] - before[0]);
                    return before[field] + fraction * (sample[field] - before[field]);
                }
                before = sample;
            }
            return before[field];
        }
    }

    /** Peak resident set size seen, in MiB. */
    double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    /**
     * The heap figures of the GC log: the most heap in use before any collection (the peak), and the most still in
     * use after one (what the process retains); in MiB, or -1 when no collection happened.
     */
    double[] heapMb() {
        double peak = -1;
        double retained = -1;
        try {
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Double.parseDouble(m.group(1)));
                    retained = Math.max(retained, Double.parseDouble(m.group(2)));
                }
            }
        } catch (IOException e) {
            // no log: no figures
        }
        return new double[] {peak, retained};
    }

    /**
     * Asks the process for a full collection ({@code jcmd <pid> GC.run}: under G1 a full, stop-the-world collection,
     * logged as {@code Pause Full (Diagnostic Command)}) and waits for it, up to {@code timeoutSeconds}.
     *
     * @return whether jcmd reported success in time
     */
    boolean requestFullGc(long timeoutSeconds) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
            return false;
        }
        return jcmd.exitValue() == 0;
    }

    /** The heap in use after each collection asked for with {@link #requestFullGc}, in MiB, oldest first. */
    List<Double> heapAfterRequestedGcsMb() {
        List<Double> after = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = GC_LINE.matcher(line);
                if (line.contains("Pause Full (Diagnostic Command)") && m.find()) {
                    after.add(Double.parseDouble(m.group(2)));
                }
            }
        } catch (IOException e) {
            // no log: no figures
        }
        return after;
    }

    /** The last lines of the contender's output, for an error message. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /**
     * SIGTERM, up to {@code graceSeconds} to exit, then SIGKILL; with 0, SIGKILL at once (the measurements are taken
     * by then, and a drain would only cost time).
     */
    void stop(long graceSeconds) {
        if (graceSeconds <= 0) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            sampler.join(1_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(0);
        }
    }
}
