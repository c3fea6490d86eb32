package dev.courier.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** What the intake loop shows its listener each turn ({@link EngineListener#onPolled}). Intake thread only. */
final class LoopView implements EngineListener.IntakeView {

    private final Consumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker;
    private final CommitTimer commits;
    /** The consumer's {@code last-heartbeat-seconds-ago} metric, once found. */
    private org.apache.kafka.common.Metric heartbeat;

    LoopView(Consumer<byte[], byte[]> consumer, OffsetTracker tracker, CommitTimer commits) {
        this.consumer = consumer;
        this.tracker = tracker;
        this.commits = commits;
    }

    @Override
    public int assigned() {
        return consumer.assignment().size();
    }

    @Override
    public int paused() {
        return consumer.paused().size();
    }

    @Override
    public long inFlight() {
        return tracker.inFlight();
    }

    @Override
    public Map<TopicPartition, Long> lag() {
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isPresent()) {
                lag.put(partition, behind.getAsLong());
            }
        }
        return lag;
    }

    @Override
    public int generation() {
        try {
            return consumer.groupMetadata().generationId();
        } catch (KafkaException e) {
            return -1;
        }
    }

    @Override
    public Duration sinceHeartbeat() {
        if (heartbeat == null) {
            heartbeat = consumer.metrics().entrySet().stream()
                    .filter(entry -> entry.getKey().name().equals("last-heartbeat-seconds-ago")
                            && entry.getKey().group().equals("consumer-coordinator-metrics"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (heartbeat == null || !(heartbeat.metricValue() instanceof Number seconds)
                || !Double.isFinite(seconds.doubleValue())) {
            return null;
        }
        return Duration.ofSeconds(Math.max(0, (long) seconds.doubleValue()));
    }

    @Override
    public Duration commitPendingFor() {
        return commits.pendingFor();
    }
}
