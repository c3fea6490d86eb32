package dev.courier.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Runs one contender once, in one of five ways, and measures it:
 *
 * <ul>
 *   <li>{@link #backlog}: closed loop on the pre-loaded backlog. Nothing is measured for a warm-up after the first
 *       outcome (JVM start, group join, JIT compilation), then consecutive windows are; the backlog is larger than
 *       any run takes, so the contender is at full speed to the end (no tail).
 *   <li>{@link #openLoop}: requests produced at a fixed rate to a fresh topic; end-to-end latency of each is its
 *       outcome's append time at the broker minus its own producer timestamp, for the requests produced in a window
 *       that starts {@code warmupMs} after the first outcome.
 *   <li>{@link #rate}: Courier with a global rate on the backlog; the rate is measured at the target.
 *   <li>{@link #groupRate}: two Courier instances of one group sharing one budget; measured at the target.
 *   <li>{@link #heap}: a long run on the backlog with full collections requested at intervals; the live heap each
 *       leaves is read from the GC log.
 * </ul>
 *
 * Each run has its own consumer group and outcome topics (append-time timestamps), so runs never see each other's
 * outcomes.
 */
final class Runner {

    private static final long FIRST_OUTCOME_TIMEOUT_MS = 90_000;
    private static final long POLL_MS = 20;
    /** From the moment every instance owns partitions to the start of a group-rate window. */
    static final long GROUP_SETTLE_MS = 2_000;
    /** From the first call to the earliest start of a group-rate window: the buckets start full. */
    static final long GROUP_SKIP_MS = 3_000;
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2)).build();

    private final Cluster cluster;
    private final TargetServer target;
    private final Path courierJar;
    private final String contenderClasspath;
    private final Path logDir;
    private final String backlogTopic;
    private final int backlogEvents;
    private final List<StatusCost> statusCosts = new java.util.ArrayList<>();
    private int runs;

    Runner(Cluster cluster, TargetServer target, Path courierJar, String contenderClasspath, Path logDir,
            String backlogTopic, int backlogEvents) {
        this.cluster = cluster;
        this.target = target;
        this.courierJar = courierJar;
        this.contenderClasspath = contenderClasspath;
        this.logDir = logDir;
        this.backlogTopic = backlogTopic;
        this.backlogEvents = backlogEvents;
    }

    /**
     * One contender process on the backlog, closed loop: {@code warmupMs} after its first outcome (JVM start, group
     * join and JIT compilation left out), {@code windows} consecutive windows of {@code windowMs} are measured, one
     * result each. {@code extraJvm} is for a JFR recording; {@code graceSeconds} 0 kills it at once afterwards.
     */
    List<RunResult> backlog(Contender contender, int latencyMs, int concurrency, int windows, long warmupMs,
            long windowMs, List<String> extraJvm, long graceSeconds) {
        String id = nextId(contender);
        Contender.Wiring wiring = wiring(id, backlogTopic, concurrency, Map.of());
        target.configure(latencyMs, "200=100");
        long callsBefore = target.requests();
        StatusCost.Start statusCost = contender.isCourier()
                ? StatusCost.before(cluster, contender, latencyMs, concurrency, wiring.group()) : null;
        try (OutcomeWatcher watcher = new OutcomeWatcher(cluster.bootstrap(),
                List.of(wiring.results(), wiring.deadLetters()), 5_000_000, false); // the raw bound: ~150k/s
                ContenderProcess process = start(id, contender, wiring, extraJvm)) {
            long first = awaitFirstOutcome(watcher, process);
            if (first < 0) {
                return List.of(RunResult.failed("backlog", contender, latencyMs, concurrency, 1,
                        "no outcome within " + FIRST_OUTCOME_TIMEOUT_MS / 1000 + " s: " + process.tail(5)));
            }
            long measureFrom = first + warmupMs;
            long end = measureFrom + windows * windowMs;
            while (System.currentTimeMillis() < end + 200 && process.isAlive()) { // +200: outcomes being read
                pause();
            }
            boolean died = !process.isAlive();
            process.stop(graceSeconds);
            OutcomeWatcher.Outcomes outcomes = watcher.stop();
            if (statusCost != null) {
                statusCosts.add(statusCost.after(outcomes.total()));
            }
            long[] times = outcomes.appendMs().clone();
            Arrays.sort(times);
            double[] heap = process.heapMb();
            long calls = target.requests() - callsBefore;
            List<Integer> timeline = perSecond(times, countAtOrBefore(times, end));
            List<RunResult> results = new java.util.ArrayList<>();
            for (int w = 0; w < windows; w++) {
                long from = measureFrom + w * windowMs;
                long to = from + windowMs;
                int events = countAtOrBefore(times, to) - countAtOrBefore(times, from);
                String note = died ? "the contender died during the run: " + process.tail(3) : null;
                if (contender != Contender.RAW_BOUND && countAtOrBefore(times, to) > 0.97 * backlogEvents) {
                    note = "the backlog ran out: load more events (--events)";
                }
                double seconds = windowMs / 1000.0;
                results.add(new RunResult("backlog", contender.name(), latencyMs, concurrency, w + 1, events, seconds,
                        events / seconds, process.cpuSecondsBetween(from, to) * 1000 / Math.max(1, events),
                        process.cpuSecondsBetween(0, to), nullIfNegative(heap[0]), nullIfNegative(heap[1]),
                        process.peakRssMb(), null, null, null, null, null, calls, outcomes.total(), note,
                        process.harnessCoresBetween(from, to), process.otherCoresBetween(from, to),
                        w == 0 ? timeline : List.of()));
            }
            return results;
        } catch (IOException e) {
            return List.of(RunResult.failed("backlog", contender, latencyMs, concurrency, 1, "cannot start: " + e));
        } finally {
            cluster.deleteTopics(List.of(wiring.results(), wiring.deadLetters()));
        }
    }

    /** What the status view wrote in each Courier backlog cell so far. */
    List<StatusCost> statusCosts() {
        return List.copyOf(statusCosts);
    }

    /**
     * One long contender process on the backlog for the {@link HeapCheck}: every {@code intervalMs} after its first
     * outcome, {@code readings} times, a full collection is requested and the heap it leaves is read from the GC log.
     */
    HeapCheck heap(Contender contender, int latencyMs, int concurrency, int readings, long intervalMs) {
        String id = nextId(contender) + "-heap";
        Contender.Wiring wiring = wiring(id, backlogTopic, concurrency, Map.of());
        target.configure(latencyMs, "200=100");
        List<Integer> atSeconds = new java.util.ArrayList<>();
        try (OutcomeWatcher watcher = new OutcomeWatcher(cluster.bootstrap(),
                List.of(wiring.results(), wiring.deadLetters()), 5_000_000, false);
                ContenderProcess process = start(id, contender, wiring, List.of())) {
            long first = awaitFirstOutcome(watcher, process);
            if (first < 0) {
                return new HeapCheck(contender.name(), latencyMs, concurrency, backlogEvents, 0, List.of(), List.of(),
                        null, "no outcome within " + FIRST_OUTCOME_TIMEOUT_MS / 1000 + " s: " + process.tail(5));
            }
            String note = null;
            for (int i = 1; i <= readings && note == null; i++) {
                sleepUntil(first + i * intervalMs);
                if (!process.isAlive()) {
                    note = "the contender died during the run: " + process.tail(3);
                } else if (process.requestFullGc(30)) {
                    atSeconds.add((int) (i * intervalMs / 1000));
                } else {
                    note = "jcmd GC.run did not succeed within 30 s";
                }
            }
            process.stop(0);
            int outcomes = watcher.stop().total();
            if (note == null && outcomes > 0.97 * backlogEvents) {
                note = "the backlog ran out: load more events (--events)";
            }
            List<Double> live = process.heapAfterRequestedGcsMb();
            if (note == null && live.size() != atSeconds.size()) {
                note = "the GC log shows " + live.size() + " requested collections, not " + atSeconds.size();
            }
            return new HeapCheck(contender.name(), latencyMs, concurrency, backlogEvents, outcomes, atSeconds, live,
                    nullIfNegative(process.heapMb()[0]), note);
        } catch (IOException e) {
            return new HeapCheck(contender.name(), latencyMs, concurrency, backlogEvents, 0, atSeconds, List.of(), null,
                    "cannot start or ask for a collection: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HeapCheck(contender.name(), latencyMs, concurrency, backlogEvents, 0, atSeconds, List.of(), null,
                    "interrupted");
        } finally {
            cluster.deleteTopics(List.of(wiring.results(), wiring.deadLetters()));
        }
    }

    /**
     * One open-loop run: {@code ratePerSecond} requests a second against a target answering in {@code latencyMs}.
     * Until the contender's first outcome the producer trickles 10 events a second (so no backlog builds up while the
     * JVM starts); then it produces at the full rate, and the requests produced from {@code warmupMs} later, for
     * {@code measureSeconds}, are measured.
     */
    RunResult openLoop(Contender contender, int latencyMs, int concurrency, int rep, int ratePerSecond, long warmupMs,
            int measureSeconds) {
        String id = nextId(contender);
        String requests = "bench." + id + ".requests";
        cluster.createRequestsTopic(requests);
        Contender.Wiring wiring = wiring(id, requests, concurrency, Map.of());
        target.configure(latencyMs, "200=100");
        int capacity = (int) (ratePerSecond * (warmupMs / 1000 + measureSeconds + 10) + 10 * FIRST_OUTCOME_TIMEOUT_MS / 1000);
        long[] sentMs = new long[capacity];
        OpenLoopProducer producer = new OpenLoopProducer(requests, sentMs);
        long callsBefore = target.requests();
        try (OutcomeWatcher watcher = new OutcomeWatcher(cluster.bootstrap(),
                List.of(wiring.results(), wiring.deadLetters()), capacity, true);
                ContenderProcess process = start(id, contender, wiring, List.of())) {
            producer.start(10);
            long first = awaitFirstOutcome(watcher, process);
            if (first < 0) {
                return RunResult.failed("open-loop", contender, latencyMs, concurrency, rep,
                        "no outcome: " + process.tail(5));
            }
            producer.rate(ratePerSecond);
            long from = System.currentTimeMillis() + warmupMs;
            long to = from + measureSeconds * 1000L;
            sleepUntil(to);
            int produced = producer.stop();
            // let the last requests of the window finish, within a bound
            long settle = System.currentTimeMillis() + 5_000;
            while (watcher.count() < produced && System.currentTimeMillis() < settle) {
                pause();
            }
            process.stop(0);
            OutcomeWatcher.Outcomes outcomes = watcher.stop();
            Latencies latencies = latencies(outcomes, sentMs, produced, from, to);
            int inWindow = countSentBetween(sentMs, produced, from, to);
            double[] heap = process.heapMb();
            double seconds = (to - from) / 1000.0;
            return new RunResult("open-loop", contender.name(), latencyMs, concurrency, rep, latencies.count(), seconds,
                    latencies.count() / seconds, process.cpuSecondsBetween(from, to) * 1000 / Math.max(1, inWindow),
                    process.cpuSecondsTotal(), nullIfNegative(heap[0]), nullIfNegative(heap[1]), process.peakRssMb(),
                    latencies.percentile(50), latencies.percentile(99), latencies.max(), inWindow - latencies.count(), null,
                    target.requests() - callsBefore, outcomes.total(), null, process.harnessCoresBetween(from, to),
                    process.otherCoresBetween(from, to), List.of());
        } catch (IOException e) {
            return RunResult.failed("open-loop", contender, latencyMs, concurrency, rep, "cannot start: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunResult.failed("open-loop", contender, latencyMs, concurrency, rep, "interrupted");
        } finally {
            producer.stop();
            cluster.deleteTopics(List.of(requests, wiring.results(), wiring.deadLetters()));
        }
    }

    /**
     * Produces request events at a set rate on its own thread, each with its send time as its timestamp (kept in
     * {@code sentMs} by sequence number); no linger, so an event is at the broker as soon as it is sent.
     */
    private final class OpenLoopProducer {
        private final String topic;
        private final long[] sentMs;
        private final Thread thread;
        private volatile long intervalNanos;
        private volatile boolean running = true;
        private volatile int produced;

        OpenLoopProducer(String topic, long[] sentMs) {
            this.topic = topic;
            this.sentMs = sentMs;
            this.thread = new Thread(this::run, "open-loop-producer");
        }

        void start(int perSecond) {
            rate(perSecond);
            thread.start();
        }

        void rate(int perSecond) {
            intervalNanos = 1_000_000_000L / perSecond;
        }

        /** Stops producing and returns how many events were produced. Idempotent. */
        int stop() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return produced;
        }

        private void run() {
            int seq = 0;
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer(0)) {
                long due = System.nanoTime();
                while (running && seq < sentMs.length) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    long now = System.currentTimeMillis();
                    sentMs[seq] = now;
                    producer.send(cluster.event(topic, target.url(), seq, now));
                    seq++;
                    produced = seq;
                    due += intervalNanos;
                }
            }
        }
    }

    /**
     * Courier with {@code courier.rate.global=rate} on the backlog; the calls per second the target sees over
     * {@code seconds}, starting {@code skipMs} after the first call (the bucket starts full, so the first second
     * carries a burst of one second's worth).
     *
     * @return the run; {@code measuredRate} is over the window after the skip, and {@code note} gives the rate
     *         over the first {@code seconds} from the first call, burst included
     */
    RunResult rate(int rate, int concurrency, long skipMs, int seconds) {
        return atTheTarget("rate", Map.of("courier.rate.global", Integer.toString(rate)), false, concurrency, skipMs,
                seconds);
    }

    /**
     * The goodput run: Courier at {@code courier.rate.global=budget} on the backlog, against a target that fails a
     * little ({@link TargetServer#configureFlaky}); the calls per second it sees over {@code seconds}, from 5 s after
     * the first call. {@code defaults} false turns adaptive rates and circuits off, for the comparison.
     */
    RunResult goodput(int budget, boolean defaults, int seconds) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("courier.rate.global", Integer.toString(budget));
        if (!defaults) {
            settings.put("courier.rate.adaptive", "false");
            settings.put("courier.circuit.window", "0");
        }
        try {
            return atTheTarget(defaults ? "goodput" : "goodput-off", settings, true, 64, 5_000, seconds);
        } finally {
            target.configureFlaky(false);
        }
    }

    /** Courier with {@code settings} on the backlog, the calls the target sees measured: the rate and goodput runs. */
    private RunResult atTheTarget(String kind, Map<String, String> settings, boolean flaky, int concurrency,
            long skipMs, int seconds) {
        String id = nextId(Contender.COURIER);
        Contender.Wiring wiring = wiring(id, backlogTopic, concurrency, settings);
        target.configure(0, "200=100");
        target.configureFlaky(flaky);
        long callsBefore = target.requests();
        try (ContenderProcess process = start(id, Contender.COURIER, wiring, List.of())) {
            long giveUp = System.currentTimeMillis() + FIRST_OUTCOME_TIMEOUT_MS;
            target.arrivals().reset();
            while (target.requests() == callsBefore && System.currentTimeMillis() < giveUp && process.isAlive()) {
                pause();
            }
            if (target.requests() == callsBefore) {
                return RunResult.failed(kind, Contender.COURIER, 0, concurrency, 1, "no call: " + process.tail(5));
            }
            sleepUntil(System.currentTimeMillis() + skipMs + seconds * 1000L + 500);
            long[] arrivals = target.arrivals().snapshot();
            long nowMs = System.currentTimeMillis();
            double harnessCores = process.harnessCoresBetween(nowMs - seconds * 1000L, nowMs);
            double otherCores = process.otherCoresBetween(nowMs - seconds * 1000L, nowMs);
            process.stop(0);
            long first = arrivals[0];
            long skipFrom = first + skipMs * 1_000_000;
            long window = seconds * 1_000_000_000L;
            long steady = Arrays.stream(arrivals).filter(t -> t >= skipFrom && t < skipFrom + window).count();
            long fromFirst = Arrays.stream(arrivals).filter(t -> t < first + window).count();
            double measured = steady / (double) seconds;
            double withBurst = fromFirst / (double) seconds;
            double[] heap = process.heapMb();
            return new RunResult(kind, Contender.COURIER.name(), 0, concurrency, 1, (int) steady, (double) seconds,
                    measured, null, process.cpuSecondsTotal(), nullIfNegative(heap[0]), nullIfNegative(heap[1]),
                    process.peakRssMb(), null, null, null, null, measured, target.requests() - callsBefore, null,
                    String.format(java.util.Locale.ROOT,
                            "%d s from the first call, the initial burst included: %.1f calls/s", seconds, withBurst),
                    harnessCores, otherCores, List.of());
        } catch (IOException e) {
            return RunResult.failed(kind, Contender.COURIER, 0, concurrency, 1, "cannot start: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunResult.failed(kind, Contender.COURIER, 0, concurrency, 1, "interrupted");
        }
    }

    /**
     * An idle Courier that owns {@code partitions} partitions: topics of its own (requests, outcomes and status, all
     * of that many partitions) with nothing to read. Its CPU from /proc over {@code seconds}, after {@code settleSeconds}
     * for the JVM and the group to settle.
     *
     * @return the share of one core it used; {@code note} says what else
     */
    RunResult idle(int partitions, int settleSeconds, int seconds) {
        String id = nextId(Contender.COURIER);
        String prefix = "bench." + id + ".";
        cluster.createTopic(prefix + "requests", partitions, Map.of());
        cluster.createTopic(prefix + "results", partitions, Map.of());
        cluster.createTopic(prefix + "dead-letters", partitions, Map.of());
        cluster.createTopic(prefix + "status", partitions, Map.of("cleanup.policy", "compact,delete"));
        cluster.awaitTopics(List.of(prefix + "requests", prefix + "results", prefix + "dead-letters", prefix + "status"),
                partitions);
        Contender.Wiring wiring = new Contender.Wiring(cluster.bootstrap(), cluster.registry().toString(),
                prefix + "requests", prefix + "results", prefix + "dead-letters", "bench-" + id, 64,
                Map.of("courier.topics.status", prefix + "status"));
        try (ContenderProcess process = start(id, Contender.COURIER, wiring, List.of())) {
            long from = System.currentTimeMillis() + settleSeconds * 1000L;
            sleepUntil(from + seconds * 1000L + 500);
            if (!process.isAlive()) {
                return RunResult.failed("idle", Contender.COURIER, 0, partitions, 1, "it died: " + process.tail(5));
            }
            double cores = process.cpuSecondsBetween(from, from + seconds * 1000L) / seconds;
            double other = process.otherCoresBetween(from, from + seconds * 1000L);
            process.stop(0);
            return new RunResult("idle", Contender.COURIER.name(), 0, partitions, 1, 0, (double) seconds, 0.0, null,
                    process.cpuSecondsTotal(), null, null, process.peakRssMb(), null, null, null, null, cores, null,
                    null, String.format(java.util.Locale.ROOT, "%d partitions, status view on, measured from %d s"
                            + " after its start", partitions, settleSeconds), null, other, List.of());
        } catch (IOException e) {
            return RunResult.failed("idle", Contender.COURIER, 0, partitions, 1, "cannot start: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunResult.failed("idle", Contender.COURIER, 0, partitions, 1, "interrupted");
        }
    }

    /**
     * {@code instances} Courier processes in one consumer group sharing {@code courier.rate.per-key=budget} in
     * {@code group} scope, on the backlog (every event has the same rate-limit key, the target's host). The window of
     * {@code seconds} starts {@link #GROUP_SKIP_MS} after the first call, and at least {@link #GROUP_SETTLE_MS} after
     * every instance's {@code /metrics} shows it owns partitions of the requests topic and all of them are owned;
     * calls are counted at the target.
     */
    GroupRate groupRate(int instances, int budget, int concurrency, int seconds) {
        String id = nextId(Contender.COURIER) + "-group";
        Contender.Wiring shared = wiring(id, backlogTopic, concurrency, Map.of());
        target.configure(0, "200=100");
        List<ContenderProcess> processes = new java.util.ArrayList<>();
        List<URI> metrics = new java.util.ArrayList<>();
        try {
            target.arrivals().reset();
            long startedNanos = System.nanoTime();
            for (int i = 0; i < instances; i++) {
                int port = freePort();
                metrics.add(URI.create("http://127.0.0.1:" + port + "/metrics"));
                Contender.Wiring wiring = new Contender.Wiring(shared.bootstrap(), shared.registry(),
                        shared.requests(), shared.results(), shared.deadLetters(), shared.group(), concurrency,
                        Map.of("courier.rate.scope", "group", "courier.rate.per-key", Integer.toString(budget),
                                "courier.admin.bind", "127.0.0.1", "courier.admin.port", Integer.toString(port)));
                processes.add(start(id + "-" + (char) ('a' + i), Contender.COURIER, wiring, List.of()));
            }
            long giveUp = System.currentTimeMillis() + FIRST_OUTCOME_TIMEOUT_MS;
            while (!everyInstanceOwnsPartitions(metrics)) {
                for (ContenderProcess process : processes) {
                    if (!process.isAlive()) {
                        return GroupRate.failed(instances, budget, "an instance died: " + process.tail(5));
                    }
                }
                if (System.currentTimeMillis() > giveUp) {
                    return GroupRate.failed(instances, budget, "the instances did not share the partitions within "
                            + FIRST_OUTCOME_TIMEOUT_MS / 1000 + " s: " + processes.get(0).tail(3));
                }
                pause();
            }
            long settledNanos = System.nanoTime();
            while (target.arrivals().snapshot().length == 0) {
                if (System.currentTimeMillis() > giveUp) {
                    return GroupRate.failed(instances, budget, "no call: " + processes.get(0).tail(3));
                }
                pause();
            }
            long firstNanos = target.arrivals().snapshot()[0];
            long fromNanos = Math.max(firstNanos + GROUP_SKIP_MS * 1_000_000, settledNanos + GROUP_SETTLE_MS * 1_000_000);
            long fromMs = System.currentTimeMillis() + (fromNanos - System.nanoTime()) / 1_000_000;
            sleepUntil(fromMs);
            sleepUntil(fromMs + seconds * 1000L + 200);
            long toNanos = fromNanos + seconds * 1_000_000_000L;
            long[] all = Arrays.stream(target.arrivals().snapshot()).filter(t -> t < toNanos).toArray();
            long[] window = Arrays.stream(all).filter(t -> t >= fromNanos).toArray();
            List<String> views = new java.util.ArrayList<>();
            for (int i = 0; i < instances; i++) {
                views.add((char) ('a' + i) + ": " + view(metrics.get(i)));
            }
            double other = processes.get(0).otherCoresBetween(fromMs, fromMs + seconds * 1000L);
            for (int i = 1; i < instances; i++) { // the other instances count as "other" for the first one
                other -= processes.get(i).cpuSecondsBetween(fromMs, fromMs + seconds * 1000L) / seconds;
            }
            String note = processes.stream().allMatch(ContenderProcess::isAlive) ? null
                    : "an instance died during the window";
            return new GroupRate(instances, budget, (fromNanos - firstNanos) / 1e9, seconds, window.length,
                    window.length / (double) seconds, GroupRate.maxInWindow(window, 1_000_000_000L),
                    GroupRate.maxInWindow(all, 1_000_000_000L), GroupRate.perSecond(window, fromNanos, seconds),
                    views, Math.max(0, other), note);
        } catch (IOException e) {
            return GroupRate.failed(instances, budget, "cannot start: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GroupRate.failed(instances, budget, "interrupted");
        } finally {
            processes.forEach(process -> process.stop(0));
            cluster.deleteTopics(List.of(shared.results(), shared.deadLetters()));
        }
    }

    /** Whether every instance's {@code courier_partitions_assigned} is above 0 and they add up to all partitions. */
    private static boolean everyInstanceOwnsPartitions(List<URI> metrics) {
        double sum = 0;
        for (URI uri : metrics) {
            double owned = gauge(scrape(uri), "courier_partitions_assigned");
            if (owned <= 0) {
                return false;
            }
            sum += owned;
        }
        return sum == Cluster.PARTITIONS;
    }

    /** An instance's partitions and each rate-limit key's configured share, from its scrape. */
    private static String view(URI metrics) {
        String text = scrape(metrics);
        StringBuilder view = new StringBuilder(String.format(java.util.Locale.ROOT, "%.0f partitions",
                gauge(text, "courier_partitions_assigned")));
        java.util.regex.Matcher key = java.util.regex.Pattern
                .compile("(?m)^courier_rate_key_configured\\{key=\"([^\"]*)\"} (\\S+)$").matcher(text);
        while (key.find()) {
            view.append(String.format(java.util.Locale.ROOT, ", key %s: configured share %s/s", key.group(1),
                    key.group(2)));
        }
        return view.toString();
    }

    private static double gauge(String scrape, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    /** The text of {@code uri}, or "" when it does not answer within 2 s. */
    private static String scrape(URI uri) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String nextId(Contender contender) {
        runs++;
        return String.format("r%03d-%s", runs, contender.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    private Contender.Wiring wiring(String id, String requests, int concurrency, Map<String, String> courierExtras) {
        String results = "bench." + id + ".results";
        String deadLetters = "bench." + id + ".dead-letters";
        cluster.createOutcomeTopic(results);
        cluster.createOutcomeTopic(deadLetters);
        return new Contender.Wiring(cluster.bootstrap(), cluster.registry().toString(), requests, results, deadLetters,
                "bench-" + id, concurrency, courierExtras);
    }

    private ContenderProcess start(String id, Contender contender, Contender.Wiring wiring, List<String> extraJvm)
            throws IOException {
        List<List<String>> command = contender.command(wiring, courierJar, contenderClasspath, extraJvm);
        return ContenderProcess.start(id, command.get(0), command.get(1), logDir);
    }

    /** Wall-clock ms when the first outcome was seen, or -1 if none came in time or the process died. */
    private static long awaitFirstOutcome(OutcomeWatcher watcher, ContenderProcess process) {
        long giveUp = System.currentTimeMillis() + FIRST_OUTCOME_TIMEOUT_MS;
        while (watcher.count() == 0) {
            if (!process.isAlive() || System.currentTimeMillis() > giveUp) {
                return -1;
            }
            pause();
        }
        return System.currentTimeMillis();
    }

    private static Latencies latencies(OutcomeWatcher.Outcomes outcomes, long[] sentMs, int produced, long from,
            long to) {
        boolean[] seen = new boolean[produced];
        Latencies latencies = new Latencies();
        for (int i = 0; i < outcomes.appendMs().length; i++) {
            int seq = outcomes.seqs()[i];
            if (seq < 0 || seq >= produced || seen[seq]) {
                continue; // not ours, or a repeat: the first outcome counts
            }
            seen[seq] = true;
            if (sentMs[seq] >= from && sentMs[seq] < to) {
                latencies.record(outcomes.appendMs()[i] - sentMs[seq]);
            }
        }
        return latencies;
    }

    private static int countSentBetween(long[] sentMs, int produced, long from, long to) {
        int count = 0;
        for (int i = 0; i < produced; i++) {
            if (sentMs[i] >= from && sentMs[i] < to) {
                count++;
            }
        }
        return count;
    }

    /** Outcomes in each whole second from the first of {@code sorted[0..n)}. */
    private static List<Integer> perSecond(long[] sorted, int n) {
        List<Integer> counts = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int second = (int) ((sorted[i] - sorted[0]) / 1000);
            while (counts.size() <= second) {
                counts.add(0);
            }
            counts.set(second, counts.get(second) + 1);
        }
        return counts;
    }

    /** How many of {@code sorted} are at or before {@code limit}. */
    private static int countAtOrBefore(long[] sorted, long limit) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= limit) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static Double nullIfNegative(double value) {
        return value < 0 ? null : value;
    }

    private static void pause() {
        LockSupport.parkNanos(POLL_MS * 1_000_000);
    }

    private static void sleepUntil(long wallMs) throws InterruptedException {
        long remaining;
        while ((remaining = wallMs - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(remaining, 200));
        }
    }
}
