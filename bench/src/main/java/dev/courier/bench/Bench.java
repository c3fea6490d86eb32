package dev.courier.bench;

import dev.courier.sandbox.LocalSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark, start to end: a broker and registry stand-in (Courier's sandbox) and the target in this JVM; a
 * backlog of request events; then every contender, one at a time, each in its own JVM, on the same data, broker and
 * target; then the results under {@code bench/results/}. Started by {@code bench/run.sh}; see bench/README.md.
 *
 * <p>Arguments: {@code <courier.jar> <contenders classpath file> <results dir> [--key=value ...]}, see {@link Plan}.
 */
public final class Bench {

    private static final String BACKLOG_TOPIC = "bench.requests";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Bench <courier.jar> <contenders.classpath file> <results dir> [--key=value ...]");
            System.exit(2);
        }
        Path courierJar = Path.of(args[0]).toAbsolutePath();
        // the contenders' libraries, and the bench's own classes beside that file (target/classes)
        Path classpathFile = Path.of(args[1]).toAbsolutePath();
        String contenderClasspath = Files.readString(classpathFile).trim() + java.io.File.pathSeparator
                + classpathFile.getParent().resolve("classes");
        Path resultsDir = Path.of(args[2]).toAbsolutePath();
        Plan plan = Plan.parse(java.util.Arrays.copyOfRange(args, 3, args.length));
        long startedNanos = System.nanoTime();
        Progress progress = new Progress(startedNanos);

        Environment environment = Environment.capture(resultsDir.getParent().resolve("pom.xml"), courierJar);
        String[] probe = {"turned on with --exactly-once=on"};
        boolean exactlyOnce = switch (plan.exactlyOnce()) {
            case "on" -> true;
            case "off" -> {
                probe[0] = "turned off with --exactly-once=off";
                yield false;
            }
            default -> courierAcceptsExactlyOnce(courierJar, progress, probe);
        };
        List<Contender> matrix = new ArrayList<>(plan.contenders());
        if (!exactlyOnce) {
            matrix.remove(Contender.COURIER_EXACTLY_ONCE);
        }

        Path logDir = Files.createDirectories(resultsDir.getParent().resolve("target").resolve("runs"));
        List<RunResult> results = new ArrayList<>();
        Profile.Summary profile = null;
        HeapCheck heap = null;
        GroupRate groupRate = null;
        List<StatusCost> statusCosts = List.of();
        int meanEventBytes;
        try (LocalSandbox sandbox = LocalSandbox.start(LocalSandbox.Options.defaults());
                TargetServer target = TargetServer.start(4);
                Cluster cluster = new Cluster(sandbox.bootstrapServers(), sandbox.registryUrl())) {
            progress.say("broker %s, registry %s, target %s", sandbox.bootstrapServers(), sandbox.registryUrl(),
                    target.url());
            cluster.createRequestsTopic(BACKLOG_TOPIC);
            cluster.createStatusTopic();
            meanEventBytes = cluster.preload(BACKLOG_TOPIC, target.url(), plan.events());
            progress.say("loaded %,d events of %,d bytes into %s (%d partitions)", plan.events(), meanEventBytes,
                    BACKLOG_TOPIC, Cluster.PARTITIONS);
            Runner runner = new Runner(cluster, target, courierJar, contenderClasspath, logDir, BACKLOG_TOPIC,
                    plan.events());

            long warmupMs = plan.warmupSeconds() * 1000L;
            long windowMs = plan.windowSeconds() * 1000L;
            for (int latency : plan.latencies()) {
                for (Contender contender : matrix) {
                    if (contender == Contender.RAW_BOUND && latency != plan.latencies().get(0)) {
                        continue; // it makes no call: the target's latency does not matter
                    }
                    for (int concurrency : contender.concurrent ? plan.concurrencies() : List.of(1)) {
                        results.addAll(progress.report(runner.backlog(contender, latency, concurrency, plan.reps(),
                                warmupMs, windowMs, List.of(), 0)));
                    }
                }
            }
            if (plan.extraCourierCell().size() == 2) {
                results.addAll(progress.report(runner.backlog(Contender.COURIER, plan.extraCourierCell().get(0),
                        plan.extraCourierCell().get(1), plan.reps(), warmupMs, windowMs, List.of(), 0)));
            }
            if (plan.jfr()) {
                Path recording = logDir.resolve("courier-profile.jfr");
                Files.deleteIfExists(recording);
                // one longer window, JIT warm-up excluded from the figures but not from the recording
                RunResult profiled = progress.report(runner.backlog(Contender.COURIER, 0, 256, 1, warmupMs,
                        Math.max(10_000, windowMs),
                        List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,delay="
                                + (plan.warmupSeconds() + 2) + "s,dumponexit=true"),
                        20)).get(0);
                profile = Profile.summarise(recording, profiled);
                progress.say("JFR: %d execution samples; top: %s", profile.samples(),
                        profile.topFrames().isEmpty() ? "-" : profile.topFrames().get(0));
            }
            if (plan.heapSeconds() >= Plan.HEAP_INTERVAL_SECONDS) {
                heap = runner.heap(Contender.COURIER, 0, 256, plan.heapSeconds() / Plan.HEAP_INTERVAL_SECONDS,
                        Plan.HEAP_INTERVAL_SECONDS * 1000L);
                progress.say("heap check: live heap %s; %,d outcomes%s", heap.readings(), heap.outcomes(),
                        heap.note() == null ? "" : "; " + heap.note());
            }
            if (plan.openLoopRate() > 0) {
                for (int rep = 1; rep <= plan.reps(); rep++) {
                    for (Contender contender : plan.openLoopContenders()) {
                        results.add(progress.report(runner.openLoop(contender, 0, 256, rep, plan.openLoopRate(),
                                plan.openLoopWarmupSeconds() * 1000L, plan.openLoopSeconds())));
                    }
                }
            }
            if (plan.rateLimit() > 0) {
                results.add(progress.report(runner.rate(plan.rateLimit(), 64, 3_000, plan.rateSeconds())));
            }
            if (plan.idlePartitions() > 0) {
                results.add(progress.report(runner.idle(plan.idlePartitions(), 90, 60)));
            }
            if (plan.goodputRate() > 0) {
                results.add(progress.report(runner.goodput(plan.goodputRate(), true, plan.goodputSeconds())));
                results.add(progress.report(runner.goodput(plan.goodputRate(), false, plan.goodputSeconds())));
            }
            if (plan.groupRate() > 0) {
                groupRate = runner.groupRate(2, plan.groupRate(), 64, plan.groupRateSeconds());
                progress.say("group rate: %s", groupRate.summary());
            }
            statusCosts = runner.statusCosts();
        }
        long wallSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
        Report report = new Report(plan, results, profile, heap, groupRate, statusCosts, exactlyOnce, probe[0],
                meanEventBytes, wallSeconds,
                environment, Environment.loadAverage());
        Files.createDirectories(resultsDir);
        Files.writeString(resultsDir.resolve("latest.json"), report.json(), StandardCharsets.UTF_8);
        Files.writeString(resultsDir.resolve("latest.md"), report.markdown(), StandardCharsets.UTF_8);
        progress.say("wrote %s and %s (harness time %d s)", resultsDir.resolve("latest.md"),
                resultsDir.resolve("latest.json"), wallSeconds);
        System.exit(0); // the sandbox's non-daemon threads must not keep the JVM
    }

    /**
     * Whether {@code courier run} knows {@code courier.delivery.guarantee=exactly-once}: it is asked to run against a
     * broker that is not there, and the one-line error says whether the setting or the broker was the problem.
     */
    private static boolean courierAcceptsExactlyOnce(Path courierJar, Progress progress, String[] probeResult)
            throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                courierJar.toString(), "run", "-Dcourier.delivery.guarantee=exactly-once",
                "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dcourier.connect-timeout=1s")
                .redirectErrorStream(true).start();
        if (!probe.waitFor(60, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
        }
        String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean refused = said.toLowerCase(Locale.ROOT).contains("courier.delivery.guarantee");
        String lastLine = said.lines().reduce((a, b) -> b).orElse("").trim();
        probeResult[0] = (refused ? "`courier run` refuses the setting (" : "`courier run` accepts the setting (")
                + "it said: " + lastLine.replace("|", "/") + ")";
        progress.say("exactly-once: %s (courier run said: %s)", refused ? "not available, skipped" : "available",
                lastLine);
        return !refused;
    }

    /** Progress lines on standard output, with the time since start. */
    static final class Progress {
        private final long startedNanos;

        Progress(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        void say(String format, Object... args) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
            System.out.printf(Locale.ROOT, "[%3d:%02d] %s%n", seconds / 60, seconds % 60, String.format(Locale.ROOT, format, args));
            System.out.flush();
        }

        List<RunResult> report(List<RunResult> runs) {
            runs.forEach(this::report);
            return runs;
        }

        RunResult report(RunResult r) {
            if (r.note() != null && r.eventsPerSecond() == null) {
                say("%-9s %-22s %3d ms c=%-4d rep %d: FAILED %s", r.kind(), r.contender(), r.latencyMs(),
                        r.concurrency(), r.rep(), r.note());
            } else {
                say("%-9s %-22s %3d ms c=%-4d rep %d: %,8.0f ev/s  %.3f ms CPU/ev  heap %s MB  other %.2f cores%s%s",
                        r.kind(),
                        r.contender(), r.latencyMs(), r.concurrency(), r.rep(), r.eventsPerSecond(),
                        r.cpuMsPerEvent() == null ? Double.NaN : r.cpuMsPerEvent(),
                        r.peakHeapMb() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.peakHeapMb()),
                        r.otherCores() == null ? Double.NaN : r.otherCores(),
                        r.p99Ms() == null ? "" : String.format(Locale.ROOT, "  p50 %.0f ms p99 %.0f ms", r.p50Ms(), r.p99Ms()),
                        r.note() == null ? "" : "  (" + r.note() + ")");
            }
            return r;
        }
    }
}
