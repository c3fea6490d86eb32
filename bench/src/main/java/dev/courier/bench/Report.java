package dev.courier.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The results of one benchmark: every run as JSON, and the Markdown summary that states the issue's targets and
 * whether each is met, and by how much it is missed when it is not.
 */
final class Report {

    private final Plan plan;
    private final List<RunResult> results;
    private final Cells cells;
    private final Profile.Summary profile;
    private final HeapCheck heap;
    private final GroupRate groupRate;
    private final List<StatusCost> statusCosts;
    private final boolean exactlyOnce;
    private final String exactlyOnceProbe;
    private final int meanEventBytes;
    private final long harnessSeconds;
    private final Environment environment;
    private final String loadAfter;

    Report(Plan plan, List<RunResult> results, Profile.Summary profile, HeapCheck heap, GroupRate groupRate,
            List<StatusCost> statusCosts, boolean exactlyOnce,
            String exactlyOnceProbe, int meanEventBytes, long harnessSeconds, Environment environment, String loadAfter) {
        this.plan = plan;
        this.results = results;
        this.cells = new Cells(results);
        this.profile = profile;
        this.heap = heap;
        this.groupRate = groupRate;
        this.statusCosts = statusCosts;
        this.exactlyOnce = exactlyOnce;
        this.exactlyOnceProbe = exactlyOnceProbe;
        this.meanEventBytes = meanEventBytes;
        this.harnessSeconds = harnessSeconds;
        this.environment = environment;
        this.loadAfter = loadAfter;
    }

    String json() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        root.put("loadAverageAfter", loadAfter);
        root.put("plan", plan);
        root.put("exactlyOnceMeasured", exactlyOnce);
        root.put("exactlyOnceProbe", exactlyOnceProbe);
        root.put("meanEventBytes", meanEventBytes);
        root.put("harnessSeconds", harnessSeconds);
        root.put("targets", targets());
        root.put("runs", results);
        root.put("profile", profile);
        root.put("heapCheck", heap);
        root.put("groupRate", groupRate);
        root.put("statusCosts", statusCosts);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Courier benchmark: latest results\n\n");
        md.append("Produced by `bench/run.sh` (see [bench/README.md](../README.md)).\n");
        md.append(String.format(Locale.ROOT, "Wall time of the whole command (builds included): the harness alone took"
                + " %d s.%n%n", harnessSeconds));
        md.append(String.format(Locale.ROOT, "- **Machine:** %d cores (%s), %.0f GiB, %s, %s. Load average %s before,"
                + " %s after. Other processes used %s of the cores during the measured windows (median; max %s).%n",
                environment.cores(), environment.cpuModel(), environment.memoryGib(), environment.os(),
                environment.java(), environment.loadBefore(), loadAfter, cores(otherCores(0.5)), cores(otherCores(1.0))));
        md.append("- **Versions:** ");
        List<String> versions = new ArrayList<>();
        environment.versions().forEach((k, v) -> versions.add(k + " " + v));
        md.append(String.join(", ", versions)).append(".\n");
        md.append(String.format(Locale.ROOT, "- **Data:** %,d request events of %,d bytes on average (Confluent-framed"
                + " Avro, written with Courier's codec as `courier produce` writes them) in one %d-partition topic, %,d"
                + " distinct keys; each is a POST of a 900-byte JSON body to the target, which answers 200 with 11 bytes"
                + " after the run's latency (scheduled, not slept).%n", plan.events(), meanEventBytes,
                Cluster.PARTITIONS, Cluster.KEYS));
        md.append(String.format(Locale.ROOT, "- **Method:** every contender is its own JVM (`%s`) against the same"
                + " broker, registry stand-in and target, which share the harness JVM; each cell is one process:"
                + " %d s after its first outcome are left out (JVM start, group join, JIT), then %d consecutive windows"
                + " of %d s are measured; the figures are the median over those windows (min–max in brackets). Events/s"
                + " counts outcomes by their append time at the broker; CPU is the contender process's user + system"
                + " time in the window (`/proc/<pid>/stat`) per outcome; heap is from its GC log (peak = most in use"
                + " before a collection, retained = most still in use after one).%n",
                String.join(" ", Contender.JVM_OPTIONS), plan.warmupSeconds(), plan.reps(), plan.windowSeconds()));
        md.append("- **Exactly-once:** ").append(exactlyOnce ? "measured." : "not measured: " + exactlyOnceProbe + ".")
                .append("\n\n");

        md.append("## Targets (issues 20 and 21)\n\n| Target | Measured | Met? |\n|---|---|---|\n");
        for (Target t : targetsOfIssue21()) {
            md.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ").append(t.verdict())
                    .append(" |\n");
        }

        md.append("\n## Targets (issue 5)\n\n| Target | Measured | Met? |\n|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ").append(t.verdict())
                    .append(" |\n");
        }

        md.append("\n## Throughput: closed loop on the backlog\n\n");
        md.append("| Target latency | Contender | Concurrency | Events/s | CPU ms/event | Peak heap MB | Retained heap MB"
                + " | Harness cores | Other cores |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Cells.Cell c : cells.ofKind("backlog")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    c.contender().equals(Contender.RAW_BOUND.name()) ? "(no call)" : c.latencyMs() + " ms",
                    Contender.valueOf(c.contender()).label, Contender.valueOf(c.contender()).concurrent
                            ? Integer.toString(c.concurrency()) : "1",
                    spread(c, RunResult::eventsPerSecond, "%,.0f"), spread(c, RunResult::cpuMsPerEvent, "%.3f"),
                    max(c, RunResult::peakHeapMb), max(c, RunResult::retainedHeapMb),
                    median(c, RunResult::harnessCores, "%.2f"), median(c, RunResult::otherCores, "%.2f")));
        }

        if (!cells.ofKind("open-loop").isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n## Latency: open loop at %,d events/s, 0 ms target%n%n",
                    plan.openLoopRate()));
            md.append("End-to-end: from the request's producer timestamp to its outcome's append time at the broker, for"
                    + " the requests produced during the window (" + plan.openLoopSeconds() + " s, after "
                    + plan.openLoopWarmupSeconds() + " s at full rate); one process per repetition.\n\n");
            md.append("| Contender | p50 ms | p99 ms | max ms | Events/s | CPU ms/event | Missing | Other cores |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            for (Cells.Cell c : cells.ofKind("open-loop")) {
                md.append(String.format(Locale.ROOT, "| %s (concurrency %d) | %s | %s | %s | %s | %s | %s | %s |%n",
                        Contender.valueOf(c.contender()).label, c.concurrency(), spread(c, RunResult::p50Ms, "%.0f"),
                        spread(c, RunResult::p99Ms, "%.0f"), spread(c, RunResult::maxMs, "%.0f"),
                        spread(c, RunResult::eventsPerSecond, "%,.0f"), spread(c, RunResult::cpuMsPerEvent, "%.3f"),
                        spread(c, r -> r.missing() == null ? null : r.missing().doubleValue(), "%.0f"),
                        median(c, RunResult::otherCores, "%.2f")));
            }
        }

        for (Cells.Cell c : cells.ofKind("rate")) {
            RunResult r = c.runs().get(0);
            md.append(String.format(Locale.ROOT, "%n## Rate accuracy%n%nCourier with `courier.rate.global=%d` and %d"
                    + " workers on the backlog (0 ms target), calls counted at the target: **%s calls/s** over %.0f s"
                    + " starting 3 s after the first call (%s; %s). Other processes used %s cores meanwhile.%n",
                    plan.rateLimit(), c.concurrency(), r.measuredRate() == null ? "-" : String.format(Locale.ROOT,
                            "%.2f", r.measuredRate()), r.windowSeconds() == null ? 0 : r.windowSeconds(),
                    r.measuredRate() == null ? "failed" : String.format(Locale.ROOT, "%+.2f %%",
                            100 * (r.measuredRate() - plan.rateLimit()) / plan.rateLimit()), r.note(),
                    r.otherCores() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.otherCores())));
        }

        Optional<RunResult> goodput = measured("goodput");
        if (goodput.isPresent()) {
            Optional<RunResult> off = measured("goodput-off");
            md.append(String.format(Locale.ROOT, "%n## Goodput under partial failure%n%nCourier with"
                    + " `courier.rate.global=%d` and 64 workers on the backlog, against a target that fails a little:"
                    + " one event in ten answered 503 twice before a 200 (about 17 %% of the answers are 503s), one in"
                    + " twenty 404; calls counted at the target over %.0f s from 5 s after the first call.%n%n"
                    + "| Courier | Calls/s at the target | Of the budget |%n|---|---|---|%n"
                    + "| defaults (adaptive rates and circuits on) | %.1f | %.1f %% |%n", plan.goodputRate(),
                    goodput.get().windowSeconds(), goodput.get().measuredRate(),
                    100 * goodput.get().measuredRate() / plan.goodputRate()));
            off.ifPresent(r -> md.append(String.format(Locale.ROOT, "| `courier.rate.adaptive=false`,"
                    + " `courier.circuit.window=0` | %.1f | %.1f %% |%n%nWith the defaults Courier makes %.2f× the calls"
                    + " a second it makes with both off.%n", r.measuredRate(), 100 * r.measuredRate()
                    / plan.goodputRate(), goodput.get().measuredRate() / r.measuredRate())));
        }

        if (groupRate != null) {
            md.append(String.format(Locale.ROOT, "%n## Rate accuracy, %d instances sharing one budget%n%n%d Courier"
                    + " instances in one consumer group with `courier.rate.per-key=%d` (`courier.rate.scope=group`, the"
                    + " group's budget for the one key every event has: the target's host), 64 workers each, on the"
                    + " backlog (0 ms target); calls counted at the target over %d s, from %.1f s after the first call"
                    + " (the buckets start full, so the start carries a burst; and the window starts only once both"
                    + " instances own partitions).%n%n", groupRate.instances(), groupRate.instances(),
                    groupRate.budget(), groupRate.seconds(), groupRate.skippedSeconds()));
            md.append(String.format(Locale.ROOT, "- **%s**%n", groupRate.summary()));
            md.append("- Calls in each second: " + groupRate.perSecond() + "\n");
            groupRate.instanceMeters().forEach(view -> md.append("- Instance ").append(view)
                    .append(" (its own `/metrics` at the end)\n"));
            md.append(String.format(Locale.ROOT, "- Other processes used %s cores meanwhile.%n",
                    groupRate.otherCores() == null ? "-" : String.format(Locale.ROOT, "%.2f", groupRate.otherCores())));
        }

        statusCostSection(md);

        if (profile != null) {
            md.append("\n## Where Courier's CPU goes (JFR)\n\n");
            RunResult run = profile.run();
            md.append(String.format(Locale.ROOT, "One extra Courier run (0 ms, 256 workers, not in the tables above),"
                    + " recorded with JFR's `profile` settings from %d s after its start: %d execution samples; %s"
                    + " events/s, %s ms CPU/event in its window. Recording: `%s`.%n%n", plan.warmupSeconds() + 2,
                    profile.samples(),
                    run.eventsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f", run.eventsPerSecond()),
                    run.cpuMsPerEvent() == null ? "-" : String.format(Locale.ROOT, "%.3f", run.cpuMsPerEvent()),
                    profile.recording().replaceAll(".*/bench/", "bench/")));
            md.append("| By library (first non-JDK frame) | By Courier method (first Courier frame) | By thread |"
                    + " Top frames (self) |\n|---|---|---|---|\n");
            for (int i = 0; i < 12; i++) {
                md.append("| ").append(at(profile.areas(), i)).append(" | ").append(at(profile.courierMethods(), i))
                        .append(" | ").append(at(profile.threads(), i)).append(" | ").append(at(profile.topFrames(), i))
                        .append(" |\n");
            }
        }
        if (heap != null) {
            md.append("\n## Heap under the backlog\n\n");
            md.append(String.format(Locale.ROOT, "One extra Courier run (%d ms, %d workers, not in the tables above) on"
                    + " the %,d-event backlog; every %d s after its first outcome a full collection is requested"
                    + " (`jcmd <pid> GC.run`) and the heap it leaves in use is read from the GC log. It published %,d"
                    + " outcomes, so at least %,d events were still waiting at the last reading.%n%n",
                    heap.latencyMs(), heap.concurrency(), heap.backlogEvents(), Plan.HEAP_INTERVAL_SECONDS,
                    heap.outcomes(), Math.max(0, heap.backlogEvents() - heap.outcomes())));
            md.append("| Seconds after the first outcome | Live heap MB |\n|---|---|\n");
            for (int i = 0; i < heap.liveHeapMb().size() && i < heap.atSeconds().size(); i++) {
                md.append(String.format(Locale.ROOT, "| %d | %.0f |%n", heap.atSeconds().get(i),
                        heap.liveHeapMb().get(i)));
            }
            md.append(String.format(Locale.ROOT, "%nPeak heap in use before any collection: %s MB.%s%n",
                    heap.peakHeapMb() == null ? "-" : String.format(Locale.ROOT, "%.0f", heap.peakHeapMb()),
                    heap.note() == null ? "" : " " + heap.note() + "."));
        }
        md.append("\n## Notes\n\n");
        boolean any = false;
        for (Cells.Cell c : cells.all()) {
            for (String note : c.notes()) {
                if (!c.kind().equals("rate") && !c.kind().startsWith("goodput") && !c.kind().equals("idle")) {
                    md.append(String.format(Locale.ROOT, "- %s %s %d ms c=%d: %s%n", c.kind(), c.contender(),
                            c.latencyMs(), c.concurrency(), note));
                    any = true;
                }
            }
        }
        if (!any) {
            md.append("- No run failed or ran out of backlog.\n");
        }
        md.append("\nRaw figures of every window and run, with the outcomes per second of each process from its first"
                + " outcome: `bench/results/latest.json`.\n");
        return md.toString();
    }

    /** One issue target: what it asks, what was measured, and the verdict. */
    record Target(String target, String measured, String verdict) {
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        targets.add(ratioTarget());
        targets.add(cpuTarget());
        targets.add(concurrency512Target());
        targets.add(openLoopTarget());
        targets.add(rateTarget());
        targets.add(groupRateTarget());
        targets.add(goodputTarget());
        targets.add(idleTarget());
        targets.add(exactlyOnceTarget());
        targets.add(heapTarget());
        targets.add(statusCostTarget());
        return targets;
    }

    /** The records the status view wrote in each Courier backlog cell, beside its outcomes. */
    private void statusCostSection(StringBuilder md) {
        if (statusCosts.isEmpty()) {
            return;
        }
        md.append("\n## What the status view writes\n\n");
        md.append("Records added to the status topic (`" + StatusCost.TOPIC + "`) and to the topics of the view's Kafka"
                + " Streams application (`GROUP-status-*`, none expected) during each Courier backlog cell, from the"
                + " topics' end offsets before and after it, per outcome the cell published.\n\n");
        md.append("| Contender | Target latency | Concurrency | Outcomes | Status records | Streams topics (records) |"
                + " Extra records per event |\n|---|---|---|---|---|---|---|\n");
        for (StatusCost cost : statusCosts) {
            md.append(String.format(Locale.ROOT, "| %s | %d ms | %d | %,d | %,d | %s | %s |%n",
                    Contender.valueOf(cost.contender()).label, cost.latencyMs(), cost.concurrency(), cost.outcomes(),
                    cost.statusRecords(), cost.internalTopics().isEmpty() ? "none"
                            : cost.internalTopics() + " (" + cost.internalRecords() + ")",
                    cost.perEvent() == null ? "-" : String.format(Locale.ROOT, "%.3f", cost.perEvent())));
        }
    }

    private Target statusCostTarget() {
        String name = "Status view: extra records per event ≤ 1.2 (0 ms backlog)";
        List<StatusCost> atZero = statusCosts.stream().filter(cost -> cost.latencyMs() == 0 && cost.perEvent() != null)
                .toList();
        if (atZero.isEmpty()) {
            return new Target(name, "no Courier cell at 0 ms", "not measured");
        }
        double worst = atZero.stream().mapToDouble(StatusCost::perEvent).max().orElseThrow();
        String measured = String.format(Locale.ROOT, "%.3f at most, over %d Courier cells", worst, atZero.size());
        return new Target(name, measured, worst <= 1.2 ? "met"
                : String.format(Locale.ROOT, "**missed** by %.3f", worst - 1.2));
    }

    private Target heapTarget() {
        String name = "Heap flat under a 1 M-event backlog";
        String cells = "retained heap after GC across the Courier cells: " + courierRetainedRange() + " MB";
        if (heap == null || heap.flat() == null) {
            return new Target(name, (heap == null ? "heap check not run (--heap-seconds=0)"
                    : "heap check failed: " + heap.note()) + "; " + cells, "not measured");
        }
        String measured = String.format(Locale.ROOT, "live heap after a full GC, %,d events in the backlog: %s (later"
                + " half %+.1f MB against the earlier half; allowed: %.0f MB); %s", heap.backlogEvents(), heap.readings(),
                heap.growthMb(), heap.allowedGrowthMb(), cells);
        String verdict = heap.note() != null ? "**unsure**: " + heap.note()
                : heap.flat() ? (heap.backlogEvents() >= 1_000_000 ? "met" : "met, but on a backlog under 1 M")
                : String.format(Locale.ROOT, "**missed**: grew %.1f MB", heap.growthMb());
        return new Target(name, measured, verdict);
    }

    private Target ratioTarget() {
        List<String> parts = new ArrayList<>();
        double worst = Double.MAX_VALUE;
        for (int latency : plan.latencies()) {
            List<String> row = new ArrayList<>();
            for (int c : plan.concurrencies()) {
                Optional<Double> courier = cells.throughput(Contender.COURIER, latency, c);
                Optional<Double> pc = cells.throughput(Contender.PC_UNORDERED, latency, c);
                if (courier.isPresent() && pc.isPresent() && pc.get() > 0) {
                    double ratio = courier.get() / pc.get();
                    worst = Math.min(worst, ratio);
                    row.add(String.format(Locale.ROOT, "%.2f× (c=%d)", ratio, c));
                }
            }
            if (!row.isEmpty()) {
                parts.add(latency + " ms: " + String.join(", ", row));
            }
        }
        if (parts.isEmpty()) {
            return new Target("≥ 2.0× parallel-consumer's events/s at equal concurrency, 0 ms and 50 ms", "not run", "-");
        }
        return new Target("≥ 2.0× parallel-consumer's events/s at equal concurrency, 0 ms and 50 ms",
                "Courier ÷ parallel-consumer UNORDERED, medians: " + String.join("; ", parts),
                worst >= 2.0 ? "met" : String.format(Locale.ROOT, "**missed**: worst %.2f×, %.0f %% short of 2.0×",
                        worst, 100 * (2.0 - worst) / 2.0));
    }

    private Target cpuTarget() {
        double worst = 0;
        double best = Double.MAX_VALUE;
        for (Cells.Cell c : cells.ofKind("backlog")) {
            if (c.contender().equals(Contender.COURIER.name())) {
                Optional<Cells.Spread> cpu = c.spread(RunResult::cpuMsPerEvent);
                if (cpu.isPresent()) {
                    worst = Math.max(worst, cpu.get().median());
                    best = Math.min(best, cpu.get().median());
                }
            }
        }
        if (worst == 0) {
            return new Target("≤ 0.25 ms processor CPU per event", "not run", "-");
        }
        return new Target("≤ 0.25 ms processor CPU per event", String.format(Locale.ROOT,
                "Courier, medians over the backlog cells: %.3f to %.3f ms", best, worst),
                worst <= 0.25 ? "met" : best <= 0.25 ? String.format(Locale.ROOT,
                        "**partly**: met in some cells; worst %.3f ms is %.0f %% over", worst, 100 * (worst - 0.25) / 0.25)
                        : String.format(Locale.ROOT, "**missed**: best %.3f ms is %.0f %% over", best,
                                100 * (best - 0.25) / 0.25));
    }

    private Target concurrency512Target() {
        String name = "At 50 ms and concurrency 512, ≥ 90 % of min(concurrency ÷ latency, 0 ms ceiling)";
        if (plan.extraCourierCell().size() != 2) {
            return new Target(name, "not run", "-");
        }
        int latency = plan.extraCourierCell().get(0);
        int concurrency = plan.extraCourierCell().get(1);
        Optional<Double> measured = cells.throughput(Contender.COURIER, latency, concurrency);
        double ceiling = plan.concurrencies().stream().map(c -> cells.throughput(Contender.COURIER, 0, c))
                .flatMap(Optional::stream).mapToDouble(Double::doubleValue).max().orElse(0);
        if (measured.isEmpty() || ceiling == 0) {
            return new Target(name, "not run", "-");
        }
        double ideal = concurrency * 1000.0 / latency;
        double bound = Math.min(ideal, ceiling);
        double share = measured.get() / bound;
        return new Target(name, String.format(Locale.ROOT, "%,.0f events/s against min(%,.0f, 0 ms ceiling %,.0f) ="
                + " %,.0f: %.0f %%", measured.get(), ideal, ceiling, bound, 100 * share),
                share >= 0.9 ? "met" : String.format(Locale.ROOT, "**missed** by %.0f points", 100 * (0.9 - share)));
    }

    private Target openLoopTarget() {
        String name = "Open loop at 1,000 events/s, 0 ms target: p99 end-to-end ≤ 20 ms";
        Optional<Cells.Spread> p99 = cells.get("open-loop", Contender.COURIER, 0, 256).flatMap(c -> c.spread(RunResult::p99Ms));
        if (p99.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        Optional<Cells.Spread> p50 = cells.get("open-loop", Contender.COURIER, 0, 256).flatMap(c -> c.spread(RunResult::p50Ms));
        return new Target(name, String.format(Locale.ROOT, "Courier p99 %.0f ms (%.0f–%.0f), p50 %.0f ms at %,d/s",
                p99.get().median(), p99.get().min(), p99.get().max(), p50.map(Cells.Spread::median).orElse(Double.NaN),
                plan.openLoopRate()),
                p99.get().median() <= 20 ? "met" : String.format(Locale.ROOT, "**missed** by %.0f ms (%.1f×)",
                        p99.get().median() - 20, p99.get().median() / 20));
    }

    private Target rateTarget() {
        String name = "Rate accuracy within ±1 % over 30 s";
        Optional<RunResult> run = results.stream().filter(r -> r.kind().equals("rate") && r.measuredRate() != null).findFirst();
        if (run.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        double error = 100 * (run.get().measuredRate() - plan.rateLimit()) / plan.rateLimit();
        return new Target(name, String.format(Locale.ROOT, "%.2f calls/s for %d configured over %.0f s: %+.2f %%"
                + " (one run)", run.get().measuredRate(), plan.rateLimit(), run.get().windowSeconds(), error),
                Math.abs(error) <= 1 ? "met" : String.format(Locale.ROOT, "**missed** by %.2f points", Math.abs(error) - 1));
    }

    /** What issue 21 asks of one full run, side by side with parallel-consumer, and issue 20's goodput. */
    List<Target> targetsOfIssue21() {
        List<Target> targets = new ArrayList<>();
        targets.add(ratioAt256());
        targets.add(cpuRatioAt256());
        targets.add(otherCells());
        targets.add(openLoopAgainstPc());
        targets.add(exactlyOnceTarget());
        targets.add(statusCostTarget());
        targets.add(cpuAt50And64());
        targets.add(idleTarget());
        targets.add(goodputTarget());
        return targets;
    }

    private Target ratioAt256() {
        String name = "Courier at-least-once ÷ parallel-consumer UNORDERED events/s, 0 ms and 50 ms, c=256: ≥ 1.5×";
        List<String> parts = new ArrayList<>();
        double worst = Double.MAX_VALUE;
        for (int latency : List.of(0, 50)) {
            Optional<Double> courier = cells.throughput(Contender.COURIER, latency, 256);
            Optional<Double> pc = cells.throughput(Contender.PC_UNORDERED, latency, 256);
            if (courier.isPresent() && pc.isPresent() && pc.get() > 0) {
                worst = Math.min(worst, courier.get() / pc.get());
                parts.add(String.format(Locale.ROOT, "%d ms: %.2f× (%,.0f against %,.0f)", latency,
                        courier.get() / pc.get(), courier.get(), pc.get()));
            }
        }
        return parts.isEmpty() ? new Target(name, "not run", "-") : new Target(name, String.join("; ", parts),
                worst >= 1.5 ? "met" : String.format(Locale.ROOT, "**missed**: worst %.2f×", worst));
    }

    private Target cpuRatioAt256() {
        String name = "Courier CPU per event ÷ parallel-consumer's, same cells: ≤ 0.8×";
        List<String> parts = new ArrayList<>();
        double worst = 0;
        for (int latency : List.of(0, 50)) {
            Optional<Double> courier = cpuPerEvent(Contender.COURIER, latency, 256);
            Optional<Double> pc = cpuPerEvent(Contender.PC_UNORDERED, latency, 256);
            if (courier.isPresent() && pc.isPresent() && pc.get() > 0) {
                worst = Math.max(worst, courier.get() / pc.get());
                parts.add(String.format(Locale.ROOT, "%d ms: %.2f× (%.3f against %.3f ms)", latency,
                        courier.get() / pc.get(), courier.get(), pc.get()));
            }
        }
        return parts.isEmpty() ? new Target(name, "not run", "-") : new Target(name, String.join("; ", parts),
                worst <= 0.8 ? "met" : String.format(Locale.ROOT, "**missed**: worst %.2f×", worst));
    }

    private Target otherCells() {
        String name = "Every other backlog cell: Courier (at-least-once) ≥ parallel-consumer UNORDERED";
        List<String> behind = new ArrayList<>();
        int compared = 0;
        for (int latency : plan.latencies()) {
            for (int c : plan.concurrencies()) {
                if (c == 256) {
                    continue;
                }
                Optional<Double> courier = cells.throughput(Contender.COURIER, latency, c);
                Optional<Double> pc = cells.throughput(Contender.PC_UNORDERED, latency, c);
                if (courier.isPresent() && pc.isPresent() && pc.get() > 0) {
                    compared++;
                    if (courier.get() < pc.get()) {
                        behind.add(String.format(Locale.ROOT, "%d ms c=%d: %.2f×", latency, c, courier.get() / pc.get()));
                    }
                }
            }
        }
        if (compared == 0) {
            return new Target(name, "not run", "-");
        }
        return new Target(name, behind.isEmpty() ? compared + " cells compared, none behind"
                : "behind in " + String.join(", ", behind), behind.isEmpty() ? "met" : "**missed**");
    }

    private Target openLoopAgainstPc() {
        String name = "Open loop at 1,000 events/s, 0 ms: Courier's p50 and p99 ≤ parallel-consumer's";
        Optional<Cells.Cell> courier = cells.get("open-loop", Contender.COURIER, 0, 256);
        Optional<Cells.Cell> pc = cells.get("open-loop", Contender.PC_UNORDERED, 0, 256);
        if (courier.isEmpty() || pc.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        Optional<Cells.Spread> p50 = courier.get().spread(RunResult::p50Ms);
        Optional<Cells.Spread> p99 = courier.get().spread(RunResult::p99Ms);
        Optional<Cells.Spread> pcP50 = pc.get().spread(RunResult::p50Ms);
        Optional<Cells.Spread> pcP99 = pc.get().spread(RunResult::p99Ms);
        if (p50.isEmpty() || p99.isEmpty() || pcP50.isEmpty() || pcP99.isEmpty()) {
            return new Target(name, "failed", "-");
        }
        boolean met = p50.get().median() <= pcP50.get().median() && p99.get().median() <= pcP99.get().median();
        return new Target(name, String.format(Locale.ROOT, "p50 %.0f against %.0f ms, p99 %.0f against %.0f ms (medians)",
                p50.get().median(), pcP50.get().median(), p99.get().median(), pcP99.get().median()),
                met ? "met" : String.format(Locale.ROOT, "**missed**: p50 %+.0f ms, p99 %+.0f ms",
                        p50.get().median() - pcP50.get().median(), p99.get().median() - pcP99.get().median()));
    }

    private Target cpuAt50And64() {
        String name = "CPU per event at 50 ms, c=64: Courier ≤ parallel-consumer";
        Optional<Double> courier = cpuPerEvent(Contender.COURIER, 50, 64);
        Optional<Double> pc = cpuPerEvent(Contender.PC_UNORDERED, 50, 64);
        if (courier.isEmpty() || pc.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        return new Target(name, String.format(Locale.ROOT, "%.3f against %.3f ms (%.2f×)", courier.get(), pc.get(),
                courier.get() / pc.get()), courier.get() <= pc.get() ? "met"
                : String.format(Locale.ROOT, "**missed** by %.0f %%", 100 * (courier.get() / pc.get() - 1)));
    }

    private Optional<Double> cpuPerEvent(Contender contender, int latencyMs, int concurrency) {
        return cells.get("backlog", contender, latencyMs, concurrency).flatMap(c -> c.spread(RunResult::cpuMsPerEvent))
                .map(Cells.Spread::median);
    }

    private Target goodputTarget() {
        String name = "Goodput: a host answering 503 to a sixth of its calls gets ≥ 95 % of its budget with the defaults"
                + " (issue 20)";
        Optional<RunResult> defaults = measured("goodput");
        Optional<RunResult> off = measured("goodput-off");
        if (defaults.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        double share = defaults.get().measuredRate() / plan.goodputRate();
        return new Target(name, String.format(Locale.ROOT, "%.1f calls/s of %d (%.1f %%)%s", defaults.get()
                .measuredRate(), plan.goodputRate(), 100 * share, off.map(r -> String.format(Locale.ROOT, "; %.2f× of"
                + " Courier with adaptive rates and circuits off (%.1f calls/s)", defaults.get().measuredRate()
                / r.measuredRate(), r.measuredRate())).orElse("")),
                share >= 0.95 ? "met" : String.format(Locale.ROOT, "**missed** by %.1f points", 100 * (0.95 - share)));
    }

    private Target idleTarget() {
        String name = "An idle instance owning 600 partitions (status view on) uses ≤ 10 % of a core (issue 21)";
        Optional<RunResult> idle = measured("idle");
        if (idle.isEmpty()) {
            return new Target(name, "not run", "-");
        }
        double percent = 100 * idle.get().measuredRate();
        return new Target(name, String.format(Locale.ROOT, "%.1f %% of a core over %.0f s (%s; other processes %.2f"
                + " cores)", percent, idle.get().windowSeconds(), idle.get().note(), idle.get().otherCores()),
                percent <= 10 ? "met" : String.format(Locale.ROOT, "**missed** by %.1f points", percent - 10));
    }

    private Optional<RunResult> measured(String kind) {
        return results.stream().filter(r -> r.kind().equals(kind) && r.measuredRate() != null).findFirst();
    }

    private Target groupRateTarget() {
        String name = "Two instances sharing one budget: aggregate within 90–102 % of it, after the start no 1 s window over"
                + " budget + burst (issue 15)";
        if (groupRate == null || groupRate.calls() == 0) {
            return new Target(name, groupRate == null ? "not run" : "failed: " + groupRate.note(), "-");
        }
        double share = groupRate.aggregate() / groupRate.budget();
        boolean met = share >= 0.9 && share <= 1.02 && groupRate.maxInOneSecond() <= 2 * groupRate.budget();
        return new Target(name, String.format(Locale.ROOT, "%.2f calls/s for a budget of %d/s (%+.2f %%), max %d in"
                + " any 1 s (%d from the first call; one run)", groupRate.aggregate(), groupRate.budget(),
                groupRate.errorPercent(), groupRate.maxInOneSecond(), groupRate.maxFromFirstCall()),
                met ? "met" : "**missed**");
    }

    private Target exactlyOnceTarget() {
        String name = "Exactly-once costs ≤ 15 % of at-least-once throughput";
        if (!exactlyOnce) {
            return new Target(name, "not measured: " + exactlyOnceProbe, "not measured");
        }
        double worst = 0;
        List<String> parts = new ArrayList<>();
        for (int latency : plan.latencies()) {
            for (int c : plan.concurrencies()) {
                Optional<Double> alo = cells.throughput(Contender.COURIER, latency, c);
                Optional<Double> eos = cells.throughput(Contender.COURIER_EXACTLY_ONCE, latency, c);
                if (alo.isPresent() && eos.isPresent() && alo.get() > 0) {
                    double cost = 1 - eos.get() / alo.get();
                    worst = Math.max(worst, cost);
                    parts.add(String.format(Locale.ROOT, "%d ms c=%d: %.0f %%", latency, c, 100 * cost));
                }
            }
        }
        return new Target(name, "throughput lost: " + String.join(", ", parts),
                worst <= 0.15 ? "met" : String.format(Locale.ROOT, "**missed**: worst %.0f %%", 100 * worst));
    }

    private String courierRetainedRange() {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (RunResult r : results) {
            if (r.contender().equals(Contender.COURIER.name()) && r.retainedHeapMb() != null) {
                min = Math.min(min, r.retainedHeapMb());
                max = Math.max(max, r.retainedHeapMb());
            }
        }
        return max == 0 ? "-" : String.format(Locale.ROOT, "%.0f–%.0f", min, max);
    }

    private double otherCores(double quantile) {
        double[] values = results.stream().map(RunResult::otherCores).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values[(int) Math.min(values.length - 1, Math.floor(quantile * (values.length - 1)))];
    }

    private static String cores(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String spread(Cells.Cell cell, Function<RunResult, Double> figure, String format) {
        return cell.spread(figure).map(s -> String.format(Locale.ROOT, format + " (" + format + "–" + format + ")",
                s.median(), s.min(), s.max())).orElse("-");
    }

    private static String median(Cells.Cell cell, Function<RunResult, Double> figure, String format) {
        return cell.spread(figure).map(s -> String.format(Locale.ROOT, format, s.median())).orElse("-");
    }

    private static String max(Cells.Cell cell, Function<RunResult, Double> figure) {
        return cell.spread(figure).map(s -> String.format(Locale.ROOT, "%.0f", s.max())).orElse("-");
    }

    private static String at(List<String> list, int i) {
        return i < list.size() ? list.get(i).trim() : "";
    }
}
