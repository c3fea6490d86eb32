package dev.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording of a Courier run spends its CPU: the {@code jdk.ExecutionSample} events (threads running
 * Java code, sampled every 10 ms with the {@code profile} settings), counted by top frame and by the library
 * responsible (the first frame that is not the JDK's own, so JDK work is charged to the library that asked for it).
 */
final class Profile {

    /**
     * The summary: sample count; as "share% name", the top frames, the libraries, the threads, and Courier's own
     * methods (the first Courier frame of each sample, so a Courier method is charged with the library work it
     * calls); and the run it was taken from.
     */
    record Summary(String recording, long samples, List<String> topFrames, List<String> areas, List<String> threads,
            List<String> courierMethods, RunResult run) {
    }

    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("dev.courier.codec", "Courier codec (Avro encode/decode)");
        AREAS.put("dev.courier.intake", "Courier intake");
        AREAS.put("dev.courier.dispatch", "Courier dispatcher");
        AREAS.put("dev.courier.http", "Courier HTTP caller");
        AREAS.put("dev.courier.publish", "Courier publisher");
        AREAS.put("dev.courier.model", "Courier model (validation)");
        AREAS.put("dev.courier.engine", "Courier engine assembly");
        AREAS.put("dev.courier.cli", "Courier command line");
        AREAS.put("dev.courier", "Courier (other)");
        AREAS.put("org.apache.kafka.clients.producer", "Kafka producer");
        AREAS.put("org.apache.kafka.clients.consumer", "Kafka consumer");
        AREAS.put("org.apache.kafka", "Kafka client (network, records)");
        AREAS.put("okhttp3", "OkHttp");
        AREAS.put("okio", "Okio");
        AREAS.put("org.apache.avro", "Avro");
        AREAS.put("io.github.bucket4j", "Bucket4j");
        AREAS.put("net.jpountz", "lz4");
        AREAS.put("com.fasterxml.jackson", "Jackson");
        AREAS.put("ch.qos.logback", "Logback");
        AREAS.put("org.slf4j", "SLF4J");
        AREAS.put("kotlin", "Kotlin stdlib (OkHttp)");
    }

    private Profile() {
    }

    static Summary summarise(Path recording, RunResult run) throws IOException {
        if (!Files.exists(recording)) {
            return new Summary(recording.toString(), 0, List.of(), List.of(), List.of(), List.of(), run);
        }
        Map<String, Long> frames = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> courier = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> stackFrames = stack.getFrames();
            RecordedFrame top = stackFrames.get(0);
            frames.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
            areas.merge(area(stackFrames), 1L, Long::sum);
            stackFrames.stream().filter(f -> f.getMethod().getType().getName().startsWith("dev.courier.")).findFirst()
                    .ifPresent(f -> courier.merge(f.getMethod().getType().getName().substring("dev.courier.".length())
                            + "." + f.getMethod().getName(), 1L, Long::sum));
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N"), 1L, Long::sum);
        }
        return new Summary(recording.toString(), samples, top(frames, samples, 15), top(areas, samples, 12),
                top(threads, samples, 8), top(courier, samples, 12), run);
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            for (Map.Entry<String, String> area : AREAS.entrySet()) {
                if (type.startsWith(area.getKey())) {
                    return area.getValue();
                }
            }
            return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
        }
        String type = frames.get(0).getMethod().getType().getName();
        return "JDK only (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static List<String> top(Map<String, Long> counts, long total, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format(Locale.ROOT, "%4.1f%% %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
                .toList();
    }
}
