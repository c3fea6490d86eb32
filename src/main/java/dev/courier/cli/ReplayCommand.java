package dev.courier.cli;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Durations;
import dev.courier.config.Settings;
import dev.courier.engine.Replays;
import dev.courier.replay.Replay;
import dev.courier.replay.ReplayCriteria;
import dev.courier.replay.ReplaySummary;
import dev.courier.replay.SkipReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier replay}: publishes the request events of dead letters again, once the cause of their failure is
 * fixed. See {@link Replay} for what it reads, skips and sends.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Publish the request events of dead letters to the requests topic again, so Courier makes their calls"
                    + " once more: after a target that was down is back, say.",
            "Reads the dead-letter topic from the beginning (or --since) to its end when the replay starts. Each"
                    + " event's latest dead letter decides: the filters apply to it, and an event whose latest dead"
                    + " letter they do not select is not replayed. Skips what a replay cannot fix (UNDECODABLE,"
                    + " INVALID_REQUEST, POLICY_REFUSED), events replayed --max-replays times already, and events that"
                    + " already have a result or whose last replay is not processed yet; --force replays all but those"
                    + " with a result (--include-succeeded replays those). --dry-run shows what would be replayed and"
                    + " sends nothing.",
            "A replayed event keeps its id, idempotencyKey and Kafka key, and carries courier-replay-count one higher."
                    + " Exits 1 if interrupted (Ctrl-C), saying the --since to resume with."})
final class ReplayCommand implements Callable<Integer> {

    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private final Io io;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--from-beginning", description = "Read the dead-letter topic from its oldest record (the default"
            + " when --since is not given).")
    boolean fromBeginning;

    @Option(names = "--since", paramLabel = "TIME", description = "Only dead letters written at or after TIME: an"
            + " instant such as 2026-11-29T10:00:00Z, or a duration ago such as 2h.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters written before TIME (as --since).")
    String until;

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this failure category (repeatable),"
            + " e.g. RETRIES_EXHAUSTED.")
    List<String> categories = new ArrayList<>();

    @Option(names = "--status", paramLabel = "CODE", description = "Only dead letters whose last HTTP status was CODE"
            + " (repeatable).")
    List<Integer> statuses = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", description = "Only events whose URL's host is HOST (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--target", paramLabel = "NAME", description = "Only events for the named target NAME"
            + " (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--id", paramLabel = "ID", description = "Only the event with this request id (repeatable).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--ids-file", paramLabel = "FILE", description = "Only the events whose ids FILE lists, one per"
            + " line (blank lines and lines starting with # are ignored).")
    Path idsFile;

    @Option(names = "--max", paramLabel = "N", description = "Replay at most N events (the earliest written).")
    Integer max;

    @Option(names = "--max-replays", paramLabel = "N", defaultValue = "" + ReplayCriteria.DEFAULT_MAX_REPLAYS,
            description = "Skip events already replayed N times. Default: ${DEFAULT-VALUE}.")
    int maxReplays;

    @Option(names = "--force", description = "Replay events in categories a replay cannot fix, events over"
            + " --max-replays, events whose URL credentials were redacted, and events whose last replay is not"
            + " processed yet.")
    boolean force;

    @Option(names = "--include-succeeded", description = "Replay events that already have a result too. An event"
            + " whose last replay is not processed yet is still skipped (--force replays it).")
    boolean includeSucceeded;

    @Option(names = "--to", paramLabel = "TOPIC", description = "Publish to TOPIC instead of the requests topic.")
    String to;

    @Option(names = "--rate", paramLabel = "N", description = "Publish at most N events a second. Default: as fast"
            + " as Kafka takes them.")
    Integer rate;

    @Option(names = "--dry-run", description = "Show what would be replayed (counts by category, host and status,"
            + " and the first few events); send nothing.")
    boolean dryRun;

    ReplayCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        ReplayCriteria criteria = criteria();
        if (rate != null && rate < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be at least 1, got " + rate);
        }
        Settings settings = config.load(io);
        Replays replays = Replays.check(settings, to, dryRun);
        try (Progress progress = new Progress();
                Replays.Opened opened = replays.open(criteria, rate == null ? null : rate.doubleValue(), progress)) {
            Replay replay = opened.replay();
            if (dryRun) {
                return printDryRun(replay.dryRun());
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread interrupt = new Thread(() -> {
                replay.stop();
                try {
                    finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "courier-replay-interrupt");
            Runtime.getRuntime().addShutdownHook(interrupt);
            try {
                ReplaySummary summary = replay.run();
                progress.close();
                return printRun(summary, replays.topic(), Duration.ofNanos(System.nanoTime() - started));
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupt);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            }
        } catch (SchemaRegistryException e) {
            throw new CommandFailedException(e.getMessage(), e);
        } catch (KafkaException e) {
            throw new CommandFailedException("replay failed: " + e.getMessage(), e);
        }
    }

    private ReplayCriteria criteria() {
        Set<String> wanted = new LinkedHashSet<>(ids);
        if (idsFile != null) {
            try {
                for (String line : Files.readAllLines(idsFile)) {
                    String id = line.trim();
                    if (!id.isEmpty() && !id.startsWith("#")) {
                        wanted.add(id);
                    }
                }
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--ids-file " + idsFile + " cannot be read: " + e.getMessage());
            }
        }
        if (fromBeginning && since != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from-beginning and --since exclude each other");
        }
        try {
            return new ReplayCriteria(time("--since", since), time("--until", until), Set.copyOf(categories),
                    Set.copyOf(statuses), Set.copyOf(hosts), Set.copyOf(targets), wanted, max, maxReplays, force,
                    !includeSucceeded);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** An instant, or a duration before now ("2h"), or null. */
    private Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Clock.systemUTC().instant().minus(Durations.parse(text));
            } catch (IllegalArgumentException notADuration) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " \"" + text + "\" is neither an"
                        + " instant such as 2026-11-29T10:00:00Z nor a duration such as 2h");
            }
        }
    }

    private int printDryRun(ReplaySummary summary) {
        io.out().printf("Dry run: %s read, %d selected by the filters; %s would be replayed%n",
                Text.count(summary.read(), "dead letter"), summary.selected(), Text.count(summary.chosen(), "event"));
        printSkipped(summary);
        printCounts("By category", summary.byCategory());
        printCounts("By host", summary.byHost());
        printCounts("By last status", summary.byStatus());
        if (!summary.firstChosen().isEmpty()) {
            io.out().println("First: " + String.join(", ", summary.firstChosen()));
        }
        io.out().println("Nothing was sent.");
        return ExitCodes.OK;
    }

    private int printRun(ReplaySummary summary, String topic, Duration took) {
        io.out().printf(Locale.ROOT, "Replayed %s to %s in %.1f s (%s read, %d selected by the filters)%n",
                Text.count(summary.replayed(), "event"), topic, took.toMillis() / 1000.0,
                Text.count(summary.read(), "dead letter"), summary.selected());
        printSkipped(summary);
        if (summary.interrupted()) {
            io.err().printf("courier replay: interrupted after replaying %d of %d events; to replay the rest, run the"
                    + " same command with --since %s%n", summary.replayed(), summary.chosen(), summary.resumeSince());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private void printSkipped(ReplaySummary summary) {
        long skipped = summary.skipped().values().stream().mapToLong(Long::longValue).sum();
        if (skipped == 0) {
            return;
        }
        io.out().printf("Skipped %d:%n", skipped);
        for (Map.Entry<SkipReason, Long> reason : summary.skipped().entrySet()) {
            io.out().printf("  %-20s %8d  %s%n", reason.getKey().name().toLowerCase().replace('_', ' '),
                    reason.getValue(), reason.getKey().explanation());
        }
    }

    private void printCounts(String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        io.out().println(title + ":");
        counts.forEach((key, count) -> io.out().printf("  %-30s %8d%n", key.isEmpty() ? "(none)" : key, count));
    }

    /** A progress bar per phase on standard error when it is a terminal; one line per phase otherwise. */
    private final class Progress implements Replay.Listener, AutoCloseable {

        private ProgressBar bar;

        @Override
        public void phase(String name, long total) {
            close();
            if (!io.errIsTerminal()) {
                io.err().println(name + ": " + Text.count(total, "record") + "...");
                return;
            }
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .setStyle(io.colour() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(io.err(), 100)).setUpdateIntervalMillis(200).build();
        }

        @Override
        public void read() {
            if (bar != null) {
                bar.step();
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
