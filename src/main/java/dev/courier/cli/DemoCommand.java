package dev.courier.cli;

import dev.courier.codec.EventCodec;
import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import dev.courier.engine.Engine;
import dev.courier.engine.KafkaClients;
import dev.courier.engine.KafkaTopics;
import dev.courier.engine.OutcomeAudit;
import dev.courier.engine.Registry;
import dev.courier.engine.StatusViews;
import dev.courier.ops.Logging;
import dev.courier.sandbox.LocalSandbox;
import dev.courier.sandbox.SandboxStartupException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code courier demo}: the whole of Courier on one machine. Starts the sandbox and the demo target,
 * publishes sample events (and two records that are not events), runs the engine until every event
 * has its outcome, checks that each has exactly one, and prints a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "See Courier work end to end, with nothing to install: start a local Kafka broker, a schema registry"
                    + " stand-in and a demo target API on free ports; publish sample request events (successes,"
                    + " 503s that recover, 404s, 429s with Retry-After, calls slower than their timeout, an expired"
                    + " deadline, an unknown target, and two records that are not events); process them; check"
                    + " that every event has exactly one outcome; print a summary, and the status of one event as the"
                    + " status view (GET /requests/{id}, courier status) shows it.",
            "The demo always runs on its own sandbox: it ignores config files and COURIER_* variables."
                    + " -Dkey=value tunes the engine, e.g. -Dcourier.workers=8 or -Dcourier.rate.global=100."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The most the demo waits for the status view to know the event it shows. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(20);
    /** The sample whose status the demo shows: the first that fails twice with 503, then succeeds. */
    private static final int FLAKY_SAMPLE = 11;

    private final Io io;

    @Option(names = "--events", paramLabel = "N", defaultValue = "300",
            description = "Sample events to publish. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Tune the engine, e.g. -Dcourier.workers=8.")
    Map<String, String> overrides = new LinkedHashMap<>();

    DemoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1) {
            throw new CommandFailedException("--events must be at least 1");
        }
        Logging.quiet();
        LocalSandbox sandbox;
        try {
            sandbox = LocalSandbox.start(LocalSandbox.Options.defaults().withDemoTarget(0));
        } catch (SandboxStartupException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        try (sandbox) {
            Settings settings = settings(sandbox);
            io.out().println("Sandbox: Kafka " + sandbox.bootstrapServers() + ", registry " + sandbox.registryUrl()
                    + ", demo target " + sandbox.demoTarget().orElseThrow().url());
            KafkaClients kafka = new KafkaClients(settings);
            EventCodec codec = Registry.codec(settings);
            createTopics(kafka, settings);
            List<String> ids = publish(kafka, codec, settings, sandbox);
            int records = ids.size() + 2;
            io.out().println("Published " + ids.size() + " request events and 2 records that are not events to "
                    + settings.topics().requests());
            DemoTally tally = new DemoTally();
            try (StatusViews.Local status = StatusViews.startLocal(settings)) {
                long started = System.nanoTime();
                boolean complete;
                try (Engine engine = Engine.start(settings, tally)) {
                    complete = awaitOutcomes(tally, records);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                OutcomeAudit.Outcomes outcomes = new OutcomeAudit(kafka, codec)
                        .read(settings.topics().results(), settings.topics().deadLetters());
                int exitCode = summarize(tally, outcomes, ids, records, elapsed, complete,
                        sandbox.demoTarget().orElseThrow().calls());
                if (status.url().isPresent()) {
                    showStatus(status.url().get(), ids.get(Math.min(FLAKY_SAMPLE, ids.size() - 1)));
                }
                return exitCode;
            }
        }
    }

    /**
     * Prints what the status view says of {@code id}, as {@code courier status} would, once it knows the event's
     * outcome (within {@link #STATUS_TIMEOUT}).
     */
    private void showStatus(URI admin, String id) throws InterruptedException {
        StatusClient client = new StatusClient(admin, null);
        long deadline = System.nanoTime() + STATUS_TIMEOUT.toNanos();
        StatusClient.Answer answer = client.get(id);
        while (!(answer.status() == 200 && (answer.body().contains("\"state\":\"succeeded\"")
                || answer.body().contains("\"state\":\"failed\"")))
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            answer = client.get(id);
        }
        if (answer.status() != 200) {
            throw new CommandFailedException("the status view did not answer for " + id + " within " + STATUS_TIMEOUT
                    + ": " + answer.status() + " " + answer.body());
        }
        io.out().println();
        io.out().println("Status of " + id + " from the status view (courier status " + id + " --admin " + admin
                + "):");
        io.out().println(answer.body());
    }

    private Settings settings(LocalSandbox sandbox) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("courier.http.call-timeout", "1s");
        values.put("courier.retry.backoff-initial", "100ms");
        values.put("courier.retry.backoff-max", "1s");
        values.put("courier.retry.max-attempts", "4");
        values.put("courier.commit.interval", "200ms");
        values.put("courier.shutdown.drain-timeout", "5s");
        values.put("courier.workers", "32");
        values.put("courier.admin.bind", "127.0.0.1");
        values.putAll(overrides);
        values.put("kafka.bootstrap.servers", sandbox.bootstrapServers());
        values.put("courier.schema-registry.url", sandbox.registryUrl().toString());
        URI target = sandbox.demoTarget().orElseThrow().url();
        values.put("courier.targets." + DemoEvents.TARGET + ".base-url", target.toString());
        // The demo's events call the demo target by URL too: the explicit exception the egress policy needs for it.
        values.put("courier.egress.allow-cidrs", "127.0.0.1/32");
        values.put("courier.egress.allowed-ports", String.valueOf(target.getPort()));
        return SettingsLoader.load(SettingSources.none().withOverrides(values));
    }

    private static void createTopics(KafkaClients kafka, Settings settings) {
        try (Admin admin = kafka.admin("courier-demo")) {
            admin.createTopics(KafkaTopics.courierTopics(settings)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while creating topics");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CommandFailedException("cannot create the demo's topics: " + e.getCause().getMessage(), e);
        }
    }

    private List<String> publish(KafkaClients kafka, EventCodec codec, Settings settings, LocalSandbox sandbox)
            throws Exception {
        String topic = settings.topics().requests();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("courier-demo")) {
            for (DemoEvents.Sample sample : DemoEvents.of(events, sandbox.demoTarget().orElseThrow().url(),
                    Clock.systemUTC().instant())) {
                ids.add(sample.request().id());
                producer.send(new ProducerRecord<>(topic, sample.key().getBytes(StandardCharsets.UTF_8),
                        codec.encodeRequest(topic, sample.request())));
            }
            producer.send(new ProducerRecord<>(topic, "not-an-event".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":\"json, not Avro\"}".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, "tombstone".getBytes(StandardCharsets.UTF_8), null));
            producer.flush();
        }
        return ids;
    }

    /**
     * Waits for every record's outcome, at most {@link #TIMEOUT}, with a progress bar when standard error is a
     * terminal (in colour unless NO_COLOR is set); otherwise, in a file or a pipe, with one line saying what it waits
     * for.
     */
    private boolean awaitOutcomes(DemoTally tally, int records) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        if (!io.errIsTerminal()) {
            io.err().println("Processing " + records + " records...");
            while (tally.published() < records && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            return tally.published() >= records;
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Processing").setInitialMax(records)
                .setStyle(io.colour() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(io.err(), 100)).showSpeed().setUpdateIntervalMillis(100)
                .build()) {
            while (tally.published() < records && System.nanoTime() - deadline < 0) {
                bar.stepTo(tally.published());
                Thread.sleep(50);
            }
            bar.stepTo(tally.published());
        }
        return tally.published() >= records;
    }

    private int summarize(DemoTally tally, OutcomeAudit.Outcomes outcomes, List<String> ids, int records,
            Duration elapsed, boolean complete, long targetCalls) {
        io.out().println();
        io.out().printf("Courier demo: %d records in %.1f s (%.0f events/s)%n", records, elapsed.toMillis() / 1000.0,
                records * 1000.0 / Math.max(1, elapsed.toMillis()));
        tally.print(io.out());
        io.out().printf("Target calls  %6d%n", targetCalls);
        List<String> missing = outcomes.missing(ids);
        List<String> duplicated = outcomes.duplicated();
        int total = outcomes.results().size() + outcomes.deadLetters().size();
        io.out().printf("Outcomes on the topics: %d results, %d dead letters; %d of %d records accounted for,"
                        + " %d missing, %d duplicated%n", outcomes.results().size(), outcomes.deadLetters().size(),
                Math.min(total, records), records, missing.size(), duplicated.size());
        if (!complete || !missing.isEmpty() || !duplicated.isEmpty() || total != records) {
            throw new CommandFailedException("not every event has exactly one outcome (missing " + missing
                    + ", duplicated " + duplicated + ")");
        }
        io.out().println("Every event has exactly one outcome.");
        return ExitCodes.OK;
    }
}
