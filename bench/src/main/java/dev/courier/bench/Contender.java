package dev.courier.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processes under test, and the command line of each. Every contender runs in its own JVM with the same heap
 * and GC settings, against the same broker, registry, target and data.
 */
enum Contender {
    COURIER("Courier (at-least-once)", true),
    COURIER_EXACTLY_ONCE("Courier (exactly-once)", true),
    PC_UNORDERED("parallel-consumer UNORDERED", true),
    PC_KEY("parallel-consumer KEY", true),
    SEQUENTIAL("sequential loop", false),
    RAW_BOUND("raw bound (consume + produce, no HTTP)", false);

    /** The same for every contender: a heap that grows as needed up to 1 GiB, G1. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    final String label;
    /** Whether its concurrency is a setting (the sequential loop and the raw bound have none). */
    final boolean concurrent;

    Contender(String label, boolean concurrent) {
        this.label = label;
        this.concurrent = concurrent;
    }

    boolean isCourier() {
        return this == COURIER || this == COURIER_EXACTLY_ONCE;
    }

    /** Where one run reads and writes, and with what concurrency. */
    record Wiring(String bootstrap, String registry, String requests, String results, String deadLetters,
            String group, int concurrency, Map<String, String> courierExtras) {
    }

    /** The JVM options and arguments after them (the GC log option goes between). */
    List<List<String>> command(Wiring wiring, Path courierJar, String contenderClasspath, List<String> extraJvm) {
        List<String> jvm = new ArrayList<>(JVM_OPTIONS);
        jvm.addAll(extraJvm);
        List<String> args = new ArrayList<>();
        if (isCourier()) {
            args.addAll(List.of("-jar", courierJar.toString(), "run",
                    "-Dkafka.bootstrap.servers=" + wiring.bootstrap(),
                    "-Dcourier.schema-registry.url=" + wiring.registry(),
                    "-Dcourier.topics.requests=" + wiring.requests(),
                    "-Dcourier.topics.results=" + wiring.results(),
                    "-Dcourier.topics.dead-letters=" + wiring.deadLetters(),
                    "-Dcourier.group-id=" + wiring.group(),
                    "-Dcourier.ordering=unordered",
                    "-Dcourier.workers=" + wiring.concurrency(),
                    "-Dcourier.max-in-flight=" + maxInFlight(wiring.concurrency()),
                    "-Dcourier.shutdown.drain-timeout=2s",
                    // the bench's target listens on 127.0.0.1: an explicit exception to the egress policy
                    "-Dcourier.egress.allow-cidrs=127.0.0.1/32",
                    "-Dcourier.egress.allowed-ports=1-65535"));
            if (this == COURIER_EXACTLY_ONCE) {
                args.add("-Dcourier.delivery.guarantee=exactly-once");
            }
            wiring.courierExtras().forEach((key, value) -> args.add("-D" + key + "=" + value));
            return List.of(jvm, args);
        }
        args.addAll(List.of("-cp", contenderClasspath,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dbench.bootstrap=" + wiring.bootstrap(),
                "-Dbench.registry=" + wiring.registry(),
                "-Dbench.requests=" + wiring.requests(),
                "-Dbench.results=" + wiring.results(),
                "-Dbench.group=" + wiring.group(),
                "-Dbench.concurrency=" + wiring.concurrency()));
        switch (this) {
            case PC_UNORDERED -> args.addAll(List.of("-Dbench.ordering=UNORDERED",
                    "dev.courier.bench.contenders.ParallelConsumerContender"));
            case PC_KEY -> args.addAll(List.of("-Dbench.ordering=KEY",
                    "dev.courier.bench.contenders.ParallelConsumerContender"));
            case SEQUENTIAL -> args.addAll(List.of("-Dbench.http=true", "dev.courier.bench.contenders.SequentialContender"));
            case RAW_BOUND -> args.addAll(List.of("-Dbench.http=false", "dev.courier.bench.contenders.SequentialContender"));
            default -> throw new IllegalStateException(name());
        }
        return List.of(jvm, args);
    }

    /** Courier's in-flight bound for a worker count: at least 2,000 (as in the README's figure), else twice the workers. */
    static int maxInFlight(int concurrency) {
        return Math.max(2_000, 2 * concurrency);
    }
}
