package dev.courier.bench;

import java.util.List;

/**
 * What the status view wrote for one Courier cell: the records added to the status topic and to every topic of the
 * view's Kafka Streams application ({@code GROUP-status-*}: a repartition or changelog topic, if it had any), counted
 * from the topics' end offsets before and after the cell, per outcome of the cell. Outcomes themselves are not
 * counted: this is what the view costs on top of them.
 *
 * @param contender       the {@link Contender} name
 * @param latencyMs       the target's latency
 * @param concurrency     Courier's workers
 * @param statusRecords   records added to the status topic
 * @param internalTopics  the Streams application's own topics found after the cell
 * @param internalRecords records in those topics
 * @param outcomes        outcomes the cell published
 */
record StatusCost(String contender, int latencyMs, int concurrency, long statusRecords, List<String> internalTopics,
        long internalRecords, int outcomes) {

    /** The status topic every Courier of the bench writes: {@code courier.topics.status}'s default. */
    static final String TOPIC = "courier.status";

    /** Extra records written per event; null when the cell published nothing. */
    Double perEvent() {
        return outcomes == 0 ? null : (statusRecords + internalRecords) / (double) outcomes;
    }

    /** Measures one cell: {@link #before} when it starts, {@link Start#after} when it has stopped. */
    static Start before(Cluster cluster, Contender contender, int latencyMs, int concurrency, String group) {
        return new Start(cluster, contender, latencyMs, concurrency, group, cluster.endOffsetSum(List.of(TOPIC)));
    }

    /** The status topic's end offsets when a cell started. */
    record Start(Cluster cluster, Contender contender, int latencyMs, int concurrency, String group, long statusEnd) {

        StatusCost after(int outcomes) {
            List<String> internal = cluster.topicsStartingWith(group + "-status-");
            return new StatusCost(contender.name(), latencyMs, concurrency,
                    cluster.endOffsetSum(List.of(TOPIC)) - statusEnd, internal, cluster.endOffsetSum(internal),
                    outcomes);
        }
    }
}
