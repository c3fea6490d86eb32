package dev.courier.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes {@code docs/configuration.md}, the settings page, from the catalog in {@link SettingKeys}: how settings are
 * given, then every documented key with its type, default and meaning, grouped by area. Nothing in the tables is
 * written by hand, so the page cannot drift from the code; {@code ConfigurationPageTest} fails when the file on disk
 * is not what this renders.
 *
 * <p>Run {@link #main} (or the test with {@code -Dcourier.docs.write=true}) after changing a setting.
 */
final class ConfigurationPage {

    static final Path PAGE = Path.of("docs", "configuration.md");

    /** A heading of the page: the keys it holds, and a sentence on where the behaviour they tune is explained. */
    record Area(String title, String about, Predicate<String> holds) {
    }

    /** The areas in page order. Every documented key belongs to exactly one; {@link #render()} fails otherwise. */
    static final List<Area> AREAS = List.of(
            new Area("Kafka and the schema registry",
                    "Where Courier finds the cluster and the registry. Security settings for Kafka are `kafka.*` keys"
                            + " (see [Kafka and the schema registry](security.md#kafka-and-the-schema-registry)).",
                    key -> key.startsWith("kafka.") || key.startsWith("courier.schema-registry.")),
            new Area("Topics and the consumer group",
                    "The topics Courier reads and writes, how `courier topics create` makes them, and the group its"
                            + " instances share.",
                    key -> key.startsWith("courier.topics.") || key.equals("courier.group-id")
                            || key.equals("courier.connect-timeout")),
            new Area("Work in flight, ordering, commits and shutdown",
                    "How much work an instance holds, in what order, how often it commits, and with which promise"
                            + " (see [How an event is processed](processing.md) and [Guarantees](guarantees.md)).",
                    key -> List.of("courier.workers", "courier.max-in-flight", "courier.max-in-flight-per-key",
                            "courier.ordering", "courier.transactional-id").contains(key)
                            || key.startsWith("courier.commit.") || key.startsWith("courier.delivery.")
                            || key.startsWith("courier.shutdown.")),
            new Area("Rate limits and circuit breakers",
                    "Budgets, adaptive rates and circuits (see [Rate budgets, pushback and isolation]"
                            + "(processing.md#rate-budgets-pushback-and-isolation)).",
                    key -> key.startsWith("courier.rate.") || key.startsWith("courier.circuit.")),
            new Area("HTTP calls and retries",
                    "Timeouts, size caps, redirects, which statuses succeed or are retried, and the backoff (see"
                            + " [How an event is processed](processing.md), steps 4 and 5).",
                    key -> key.startsWith("courier.http.") || key.startsWith("courier.retry.")),
            new Area("Egress policy and redaction",
                    "What free URLs may reach and what is kept out of outcomes (see [Security](security.md)).",
                    key -> key.startsWith("courier.egress.") || key.startsWith("courier.redact.")
                            || key.startsWith("courier.dead-letters.")),
            new Area("Admin server, metrics and logs",
                    "The admin port and who may use it, metric labels and log lines (see [Operations](operations.md)).",
                    key -> key.startsWith("courier.admin.") || key.startsWith("courier.metrics.")
                            || key.startsWith("courier.log.")),
            new Area("Status view",
                    "The status topic and the view that serves `GET /requests/{id}` (see [Request status by id]"
                            + "(replay-and-status.md#request-status-by-id)).",
                    key -> key.startsWith("courier.status.")),
            new Area("Named targets",
                    "APIs the operator names, with their credentials, TLS and limits; `NAME` is the target's name"
                            + " (see [Named targets and credentials](security.md#named-targets-and-credentials)).",
                    key -> key.startsWith("courier.targets.")));

    private static final String INTRO = """
            # Configuration

            How Courier is configured: where settings come from and in which order, how `kafka.*` keys reach the Kafka
            clients, how settings are checked, and every setting with its type, default and meaning.

            <!-- Generated from SettingKeys by src/test/java/dev/courier/config/ConfigurationPage.java: do not edit by
                 hand. After changing a setting, run
                 mvn -q test-compile surefire:test -Dtest=ConfigurationPageTest -Dcourier.docs.write=true -->

            Settings come from, in increasing precedence: the properties file given with `--config FILE`;
            environment variables, named `COURIER_` and the key upper-cased with `.` and `-` as `_`
            (`kafka.bootstrap.servers` is `COURIER_KAFKA_BOOTSTRAP_SERVERS`, `courier.group-id` is
            `COURIER_COURIER_GROUP_ID`, target `payments`'s base URL is `COURIER_COURIER_TARGETS_PAYMENTS_BASE_URL`);
            JVM system properties (`java -Dcourier.group-id=x -jar ...`); and `-Dkey=value` after the command.

            Every `kafka.*` key goes to the Kafka clients with the prefix removed, unchanged
            (`kafka.security.protocol`, `kafka.sasl.mechanism`, `kafka.sasl.jaas.config`, `kafka.ssl.*`), so any
            cluster the Java client can reach, Courier can. Settings are checked when a command starts: a bad
            value is refused with the key, the value, where it came from and what is allowed; an unknown
            `courier.*` key (or a Kafka key missing its `kafka.` prefix) is refused with the nearest known key
            suggested. Environment variables outside `COURIER_KAFKA_*` and `COURIER_COURIER_*` are ignored (so
            the `COURIER_PORT` that Kubernetes sets for a service named `courier` does no harm). Secrets belong
            in the environment, not in files; printed settings hide them.

            In a properties file a value runs to the end of its line: `#` starts a comment only as the first character
            of a line (leading spaces aside), so `courier.workers=32   # more threads` sets the value
            `32   # more threads`. Put comments on lines of their own.
            """;

    private ConfigurationPage() {
    }

    /** The page as it should be. */
    static String render() {
        Map<Area, List<SettingKey<?>>> byArea = new LinkedHashMap<>();
        AREAS.forEach(area -> byArea.put(area, new ArrayList<>()));
        for (SettingKey<?> key : SettingKeys.documented()) {
            List<Area> areas = AREAS.stream().filter(area -> area.holds().test(key.key())).toList();
            if (areas.size() != 1) {
                throw new IllegalStateException(key.key() + " belongs to " + areas.size() + " areas of the settings page"
                        + " (" + areas.stream().map(Area::title).toList() + "); give it exactly one in"
                        + " ConfigurationPage.AREAS");
            }
            byArea.get(areas.get(0)).add(key);
        }
        StringBuilder page = new StringBuilder(INTRO).append('\n');
        page.append("The settings by area:\n\n");
        byArea.forEach((area, keys) -> {
            if (!keys.isEmpty()) {
                page.append("- [").append(area.title()).append("](#").append(anchor(area.title())).append(") (")
                        .append(keys.size()).append(keys.size() == 1 ? " setting)\n" : " settings)\n");
            }
        });
        byArea.forEach((area, keys) -> {
            if (keys.isEmpty()) {
                return;
            }
            page.append("\n## ").append(area.title()).append("\n\n").append(area.about()).append("\n\n");
            page.append("| Key | Type | Default | Meaning |\n|---|---|---|---|\n");
            for (SettingKey<?> key : keys) {
                page.append("| `").append(key.key()).append("` | ").append(cell(key.type())).append(" | ")
                        .append(key.defaultText() == null || key.defaultText().isEmpty() ? "—"
                                : "`" + cell(key.defaultText()) + "`")
                        .append(" | ").append(cell(key.description())).append(" |\n");
            }
        });
        return page.toString();
    }

    /** GitHub's anchor for a heading of plain words: lower case, spaces as hyphens, other punctuation dropped. */
    static String anchor(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    /** A table cell's text: a {@code |} would end the cell, so it is escaped (GitHub shows it as {@code |}). */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Writes the page to {@link #PAGE}, relative to the working directory (the repository's root). */
    static void write() throws IOException {
        Files.writeString(PAGE, render(), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        write();
        System.out.println("wrote " + PAGE.toAbsolutePath());
    }
}
