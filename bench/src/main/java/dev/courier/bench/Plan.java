package dev.courier.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run does, from the command line ({@code --key=value}); the defaults are the full run that
 * fits the 15-minute budget on 2 cores. Immutable.
 *
 * @param events          events pre-loaded into the backlog topic (more than any run takes)
 * @param warmupSeconds   a backlog run measures nothing for this long after its first outcome...
 * @param windowSeconds   ...then measures {@code reps} consecutive windows of this length
 * @param reps            measured windows of every cell (medians and min-max are over them)
 * @param latencies       target latencies, ms
 * @param concurrencies   concurrencies of the matrix
 * @param contenders      contenders of the matrix
 * @param extraCourierCell an extra Courier cell, {latency, concurrency}, for the target at concurrency 512; empty for none
 * @param exactlyOnce     auto (run it when {@code courier run} accepts the setting), on, or off
 * @param openLoopRate    events/s of the open-loop run; 0 to skip it
 * @param openLoopContenders contenders of the open-loop run
 * @param openLoopWarmupSeconds seconds at full rate before an open-loop run is measured
 * @param openLoopSeconds measured seconds of each open-loop run
 * @param rateLimit       courier.rate.global of the rate-accuracy run; 0 to skip it
 * @param rateSeconds     measured seconds of the rate-accuracy run
 * @param groupRate       {@code courier.rate.per-key} of the two-instance run, the group's budget; 0 to skip it
 * @param groupRateSeconds measured seconds of the two-instance run
 * @param jfr             record one extra Courier run with JFR and summarise where its CPU goes
 * @param heapSeconds     length of the heap check (one Courier run on the backlog, live heap read every
 *                        {@link #HEAP_INTERVAL_SECONDS}); 0 to skip it
 * @param goodputRate     {@code courier.rate.global} of the goodput runs (a target that fails a little, Courier with
 *                        its defaults and with adaptive rates and circuits off); 0 to skip them
 * @param goodputSeconds  measured seconds of each goodput run
 * @param idlePartitions  partitions of the idle run (a Courier with nothing to read, its CPU measured); 0 skips it
 */
record Plan(int events, int warmupSeconds, int windowSeconds, int reps, List<Integer> latencies, List<Integer> concurrencies,
        List<Contender> contenders, List<Integer> extraCourierCell, String exactlyOnce, int openLoopRate,
        List<Contender> openLoopContenders, int openLoopWarmupSeconds, int openLoopSeconds, int rateLimit, int rateSeconds, int groupRate, int groupRateSeconds, boolean jfr,
        int heapSeconds, int goodputRate, int goodputSeconds, int idlePartitions) {

    /** Seconds between the heap check's readings. */
    static final int HEAP_INTERVAL_SECONDS = 5;

    static Plan parse(String[] args) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        Plan plan = new Plan(
                integer(options.remove("events"), 1_000_000),
                integer(options.remove("warmup-seconds"), quick ? 3 : 10),
                integer(options.remove("window-seconds"), quick ? 2 : 3),
                integer(options.remove("reps"), quick ? 1 : 3),
                integers(options.remove("latencies"), "0,50"),
                integers(options.remove("concurrencies"), quick ? "256" : "64,256,1024"),
                contenders(options.remove("contenders"), "COURIER,COURIER_EXACTLY_ONCE,PC_UNORDERED,PC_KEY,SEQUENTIAL,RAW_BOUND"),
                integers(options.remove("extra-courier-cell"), quick ? "" : "50,512"),
                options.getOrDefault("exactly-once", "auto").toLowerCase(Locale.ROOT),
                integer(options.remove("open-loop-rate"), 1_000),
                contenders(options.remove("open-loop-contenders"), "COURIER,PC_UNORDERED"),
                integer(options.remove("open-loop-warmup-seconds"), quick ? 3 : 10),
                integer(options.remove("open-loop-seconds"), quick ? 4 : 6),
                integer(options.remove("rate"), 500),
                integer(options.remove("rate-seconds"), quick ? 10 : 30),
                integer(options.remove("group-rate"), 200),
                integer(options.remove("group-rate-seconds"), quick ? 10 : 15),
                Boolean.parseBoolean(options.getOrDefault("jfr", "true")),
                integer(options.remove("heap-seconds"), quick ? 0 : 40),
                integer(options.remove("goodput-rate"), 200),
                integer(options.remove("goodput-seconds"), quick ? 15 : 60),
                integer(options.remove("idle-partitions"), quick ? 0 : 600));
        options.remove("exactly-once");
        options.remove("jfr");
        options.remove("quick");
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        return plan;
    }

    private static int integer(String value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private static List<Integer> integers(String value, String fallback) {
        String text = value == null ? fallback : value;
        List<Integer> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(Integer.parseInt(part.trim()));
            }
        }
        return List.copyOf(list);
    }

    private static List<Contender> contenders(String value, String fallback) {
        return Arrays.stream((value == null ? fallback : value).split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Contender.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')))
                .toList();
    }
}
