package dev.courier.engine;

import dev.courier.codec.EventCodec;
import dev.courier.config.Settings;
import dev.courier.publish.StatusRecords;
import dev.courier.replay.Replay;
import dev.courier.replay.ReplayCriteria;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code courier replay}'s {@link Replay}, assembled from the settings as the engine is: the cluster checked first
 * ({@link #check}), then the codec, a bulk producer, a range consumer per phase and, when the replay goes to the
 * requests topic Courier reads and statuses are on, the pending statuses ({@link #open}).
 */
public final class Replays {

    private final Settings settings;
    private final KafkaClients kafka;
    private final String topic;
    private final boolean statuses;

    private Replays(Settings settings, KafkaClients kafka, String topic, boolean statuses) {
        this.settings = settings;
        this.kafka = kafka;
        this.topic = topic;
        this.statuses = statuses;
    }

    /**
     * Checks that the dead-letter and results topics and the topic replayed to exist, and the status topic too when
     * the replay writes statuses and {@code dryRun} is false.
     *
     * @param to     the topic to publish to, or null for the requests topic
     * @throws EngineException when Kafka does not answer within the connect timeout or a topic is missing
     */
    public static Replays check(Settings settings, String to, boolean dryRun) {
        KafkaClients kafka = new KafkaClients(settings);
        String topic = to != null ? to : settings.topics().requests();
        // pending statuses only for replays Courier will read: one written for another topic would stay pending
        boolean statuses = settings.status().enabled() && topic.equals(settings.topics().requests());
        try (Admin admin = kafka.admin("courier-replay-preflight")) {
            KafkaTopics cluster = new KafkaTopics(admin, settings);
            cluster.partitions(List.of(settings.topics().deadLetters(), settings.topics().results(), topic));
            if (statuses && !dryRun) {
                cluster.requireStatusTopic();
            }
        }
        return new Replays(settings, kafka, topic, statuses);
    }

    /** The topic the replay publishes to. */
    public String topic() {
        return topic;
    }

    /**
     * Opens the replay of the dead letters {@code criteria} choose, at most {@code perSecond} a second (null for as
     * fast as Kafka takes them), telling {@code listener} how far it read.
     *
     * @throws org.apache.kafka.common.KafkaException when the producer cannot be made
     */
    public Opened open(ReplayCriteria criteria, Double perSecond, Replay.Listener listener) {
        EventCodec codec = Registry.codec(settings);
        KafkaProducer<byte[], byte[]> producer = kafka.bulkProducer("courier-replay");
        Replay replay = new Replay(() -> kafka.rangeConsumer("courier-replay"), producer, codec,
                settings.topics().deadLetters(), settings.topics().results(), topic, criteria, perSecond, listener);
        if (statuses) {
            replay.writingStatuses(new StatusRecords(codec, settings.topics().status(), Clock.systemUTC()));
        }
        return new Opened(replay, producer);
    }

    /** An open replay; {@link #close} closes its producer. */
    public static final class Opened implements AutoCloseable {

        private final Replay replay;
        private final KafkaProducer<byte[], byte[]> producer;

        private Opened(Replay replay, KafkaProducer<byte[], byte[]> producer) {
            this.replay = replay;
            this.producer = producer;
        }

        public Replay replay() {
            return replay;
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
