package dev.courier.ops;

import io.skodjob.testframe.metrics.Counter;
import io.skodjob.testframe.metrics.Gauge;
import io.skodjob.testframe.metrics.Histogram;
import io.skodjob.testframe.metrics.Metric;
import io.skodjob.testframe.metrics.PrometheusTextFormatParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus scrape as a parser reads it (the text-format parser of Strimzi's test frame, since the Prometheus Java
 * client has none), with lookups by name and labels.
 */
public final class Scrape {

    private final List<Metric> metrics;

    private Scrape(List<Metric> metrics) {
        this.metrics = metrics;
    }

    /** Parses {@code text}; fails when it is not the Prometheus text format. */
    public static Scrape parse(String text) {
        try {
            return new Scrape(PrometheusTextFormatParser.parse(text));
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("the scrape does not parse: " + e, e);
        }
    }

    public List<Metric> all() {
        return metrics;
    }

    /** The series of {@code name} (as the parser names it) whose labels include {@code labels}. */
    public List<Metric> series(String name, Map<String, String> labels) {
        return metrics.stream().filter(metric -> metric.getName().equals(name))
                .filter(metric -> metric.getLabels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The value of the one counter or gauge series of {@code name} with {@code labels}; 0 when there is none. */
    public double value(String name, Map<String, String> labels) {
        List<Metric> found = series(name, labels);
        if (found.isEmpty()) {
            return 0;
        }
        if (found.size() > 1) {
            throw new AssertionError("more than one series of " + name + " with " + labels + ": " + found);
        }
        Metric metric = found.get(0);
        if (metric instanceof Counter counter) {
            return counter.getValue();
        }
        if (metric instanceof Gauge gauge) {
            return gauge.getValue();
        }
        throw new AssertionError(name + " is neither a counter nor a gauge: " + metric);
    }

    /** The one histogram series of {@code name} (without {@code _bucket}) with {@code labels}. */
    public Histogram histogram(String name, Map<String, String> labels) {
        List<Metric> found = series(name + "_bucket", labels);
        if (found.size() != 1 || !(found.get(0) instanceof Histogram histogram)) {
            throw new AssertionError("expected one histogram " + name + " with " + labels + " but found " + found);
        }
        return histogram;
    }
}
