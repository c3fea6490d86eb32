package dev.courier.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The runs grouped by cell (kind, contender, target latency, concurrency), with medians and ranges over the reps. */
final class Cells {

    /** One cell's runs. */
    record Cell(String kind, String contender, int latencyMs, int concurrency, List<RunResult> runs) {

        /** Median, min and max of a figure over the runs that have it; empty when none has. */
        Optional<Spread> spread(Function<RunResult, Double> figure) {
            double[] values = runs.stream().map(figure).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                    .sorted().toArray();
            if (values.length == 0) {
                return Optional.empty();
            }
            double median = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            return Optional.of(new Spread(median, values[0], values[values.length - 1], values.length));
        }

        /** The notes of the runs, distinct. */
        List<String> notes() {
            return runs.stream().map(RunResult::note).filter(Objects::nonNull).distinct().toList();
        }
    }

    /** A median with its min and max over {@code n} values. */
    record Spread(double median, double min, double max, int n) {
    }

    private final Map<String, Cell> cells = new LinkedHashMap<>();

    Cells(List<RunResult> results) {
        Map<String, List<RunResult>> grouped = new LinkedHashMap<>();
        for (RunResult r : results) {
            grouped.computeIfAbsent(key(r.kind(), r.contender(), r.latencyMs(), r.concurrency()), k -> new ArrayList<>())
                    .add(r);
        }
        grouped.forEach((key, runs) -> {
            RunResult first = runs.get(0);
            cells.put(key, new Cell(first.kind(), first.contender(), first.latencyMs(), first.concurrency(),
                    List.copyOf(runs)));
        });
    }

    List<Cell> all() {
        return List.copyOf(cells.values());
    }

    List<Cell> ofKind(String kind) {
        return cells.values().stream().filter(c -> c.kind().equals(kind)).toList();
    }

    Optional<Cell> get(String kind, Contender contender, int latencyMs, int concurrency) {
        return Optional.ofNullable(cells.get(key(kind, contender.name(), latencyMs, concurrency)));
    }

    /** The median events/s of a backlog cell, if it ran. */
    Optional<Double> throughput(Contender contender, int latencyMs, int concurrency) {
        return get("backlog", contender, latencyMs, concurrency)
                .flatMap(c -> c.spread(RunResult::eventsPerSecond)).map(Spread::median);
    }

    private static String key(String kind, String contender, int latencyMs, int concurrency) {
        return String.join("/", Arrays.asList(kind, contender, Integer.toString(latencyMs), Integer.toString(concurrency)));
    }
}
