package dev.courier.engine;

import dev.courier.config.SettingKeys;
import dev.courier.config.Settings;
import dev.courier.config.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the cluster about Courier's topics before a command uses them, so an unreachable broker or a
 * missing topic is a one-line error instead of a client that blocks and retries.
 */
public final class KafkaTopics {

    private final Admin admin;
    private final Settings settings;

    public KafkaTopics(Admin admin, Settings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    /**
     * The partition count of each topic.
     *
     * @throws EngineException when the cluster does not answer within the connect timeout, or a
     *                                topic does not exist
     */
    public Map<String, Integer> partitions(Collection<String> topics) {
        Map<String, Integer> partitions = new TreeMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                partitions.put(topic.getKey(), await(topic.getValue()).partitions().size());
            } catch (UnknownTopicOrPartitionException e) {
                throw new EngineException("topic " + topic.getKey()
                        + " does not exist; create Courier's topics with 'courier topics create'");
            }
        }
        return partitions;
    }

    /**
     * The topics {@code courier topics create} makes: the requests, results and dead-letter topics, and while
     * {@code courier.status.enabled} the status topic, compacted and deleted after {@code courier.status.retention}
     * (its segments roll at least daily, so compaction and deletion keep up). Partitions and replication are the
     * configured ones.
     */
    public static List<NewTopic> courierTopics(Settings settings) {
        TopicSettings topics = settings.topics();
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.requests(), topics.results(), topics.deadLetters())) {
            wanted.add(new NewTopic(name, Optional.of(topics.partitions()), topics.replication()));
        }
        if (settings.status().enabled()) {
            Duration retention = settings.status().retention();
            Duration segment = retention.compareTo(Duration.ofDays(1)) < 0 ? retention : Duration.ofDays(1);
            wanted.add(new NewTopic(topics.status(), Optional.of(topics.partitions()), topics.replication())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segment.toMillis()))));
        }
        return wanted;
    }

    /**
     * Checks that the status topic exists, for a {@code courier run} that writes statuses.
     *
     * @throws EngineException naming the topic and both ways out when it does not
     */
    public void requireStatusTopic() {
        String topic = settings.topics().status();
        try {
            await(admin.describeTopics(List.of(topic)).allTopicNames());
        } catch (UnknownTopicOrPartitionException e) {
            throw new EngineException("the status topic " + topic + " does not exist; create it with"
                    + " 'courier topics create' (it makes only the topics that are missing), or set "
                    + SettingKeys.STATUS_ENABLED.key() + "=false to write no statuses and serve no status view");
        }
    }

    /**
     * Waits until the cluster describes every one of {@code topics}: a topic just created may be unknown to the
     * broker that answers for a moment, and a command run right after {@code topics create} must find it.
     *
     * @throws EngineException when a topic is still unknown after the connect timeout
     */
    public void awaitVisible(Collection<String> topics) {
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        while (true) {
            try {
                await(admin.describeTopics(topics).allTopicNames());
                return;
            } catch (UnknownTopicOrPartitionException unknown) {
                if (System.nanoTime() - deadline > 0) {
                    throw new EngineException("the topics " + topics + " were created but the cluster still"
                            + " does not know them after " + settings.connectTimeout().toSeconds() + "s", unknown);
                }
            }
            try {
                Thread.sleep(VISIBLE_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while waiting for the topics " + topics, e);
            }
        }
    }

    private static final long VISIBLE_POLL_MS = 100;

    /**
     * The smallest {@code max.message.bytes} of {@code topics}: the largest record (batch) the brokers accept on
     * all of them.
     *
     * @throws EngineException when the cluster does not answer within the connect timeout
     */
    int maxMessageBytes(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        int smallest = Integer.MAX_VALUE;
        for (Config config : await(admin.describeConfigs(resources).all()).values()) {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                smallest = Math.min(smallest, Integer.parseInt(entry.value()));
            }
        }
        return smallest;
    }

    /**
     * The value of a Kafka admin future, waiting at most the connect timeout.
     *
     * @throws EngineException naming the bootstrap servers when the cluster does not answer
     * @throws org.apache.kafka.common.KafkaException the cause of any other failure, unwrapped
     */
    public <T> T await(KafkaFuture<T> future) {
        long timeoutMs = settings.connectTimeout().toMillis();
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for Kafka");
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw unreachable();
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new EngineException(e.getCause().getMessage(), e.getCause());
        }
    }

    private EngineException unreachable() {
        return new EngineException("Kafka at " + settings.kafka().bootstrapServers() + " did not answer within "
                + settings.connectTimeout().toSeconds() + "s; check kafka.bootstrap.servers and that the brokers are up");
    }
}
