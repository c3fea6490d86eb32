package dev.courier.bench;

import java.util.List;

/**
 * The figures of one run. Fields that do not apply to the run's kind are null.
 *
 * @param kind            backlog (closed loop on a pre-loaded backlog), open-loop (fixed input rate) or rate
 * @param contender       the {@link Contender} name
 * @param latencyMs       the target's latency
 * @param concurrency     the contender's concurrency (workers, maxConcurrency); 1 for the sequential loop
 * @param rep             repetition number, from 1
 * @param eventsMeasured  outcomes inside the measured window
 * @param windowSeconds   length of the measured window
 * @param eventsPerSecond outcomes per second in the window
 * @param cpuMsPerEvent   the contender process's CPU (user + system) in the window, per outcome
 * @param cpuSecondsTotal the contender process's CPU from its start to the end of the window (JVM start included)
 * @param peakHeapMb      most heap in use before a GC (from its GC log)
 * @param retainedHeapMb  most heap still in use after a GC
 * @param peakRssMb       peak resident set size (VmHWM)
 * @param p50Ms           median end-to-end latency (request produced to outcome appended), open loop only
 * @param p99Ms           99th percentile end-to-end latency, open loop only
 * @param maxMs           largest end-to-end latency, open loop only
 * @param missing         open loop: events produced in the window without an outcome at the end
 * @param measuredRate    rate run: calls per second at the target over the window
 * @param targetCalls     calls the target received during the run
 * @param outcomes        outcomes read from the run's topics (all of them, the drain included)
 * @param note            what went wrong, if anything
 * @param harnessCores    cores used by the harness JVM (broker, registry, target, watcher) in the window
 * @param otherCores      cores used by every other process on the machine in the window; near 0 when it is quiet
 * @param perSecond       outcomes appended in each second from the first outcome to the stop (warm-up is visible)
 */
record RunResult(String kind, String contender, int latencyMs, int concurrency, int rep, Integer eventsMeasured,
        Double windowSeconds, Double eventsPerSecond, Double cpuMsPerEvent, Double cpuSecondsTotal, Double peakHeapMb,
        Double retainedHeapMb, Double peakRssMb, Double p50Ms, Double p99Ms, Double maxMs, Integer missing,
        Double measuredRate, Long targetCalls, Integer outcomes, String note, Double harnessCores, Double otherCores,
        List<Integer> perSecond) {

    static RunResult failed(String kind, Contender contender, int latencyMs, int concurrency, int rep, String note) {
        return new RunResult(kind, contender.name(), latencyMs, concurrency, rep, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, note, null, null, List.of());
    }
}
