package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafka shared;

    @BeforeAll
    static void startSharedBroker() {
        shared = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
    }

    @AfterAll
    static void closeSharedBroker() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void aProducerWritesAndAConsumerGroupReadsBackOnACreatedTopic() throws Exception {
        String topic = createTopic(shared, 3);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(shared))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        Properties config = consumerConfig(shared);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<String> values = pollValues(consumer, 10);
            assertThat(values).hasSize(10).contains("value-0", "value-9");
        }
    }

    @Test
    void aReadCommittedConsumerSeesCommittedTransactionsAndNotAbortedOnes() throws Exception {
        String topic = createTopic(shared, 1);
        Properties config = producerConfig(shared);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }

        Properties consumer = consumerConfig(shared);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(consumer)) {
            reader.assign(List.of(new TopicPartition(topic, 0)));
            reader.seekToBeginning(reader.assignment());
            assertThat(pollValues(reader, 2)).containsExactly("committed-1", "committed-2");
        }
    }

    @Test
    void stopAndRestartKeepTheDataAndThePort() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            String bootstrap = kafka.bootstrapServers();
            String topic = createTopic(kafka, 1);
            produce(kafka, topic, "before-restart");

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();

            assertThat(kafka.isRunning()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            produce(kafka, topic, "after-restart");
            assertThat(readAll(kafka, topic, 2)).containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void closeDeletesTheTemporaryDataDirectory() {
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        Path dataDir = kafka.dataDir();
        assertThat(dataDir).isDirectory();

        kafka.close();

        assertThat(dataDir).doesNotExist();
        assertThat(kafka.isRunning()).isFalse();
        assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aGivenDataDirectoryIsKeptOnCloseAndReusedByTheNextStart(@TempDir Path dataDir) throws Exception {
        String topic;
        try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir))) {
            topic = createTopic(first, 1);
            produce(first, topic, "kept");
        }
        assertThat(dataDir.resolve("kafka")).isDirectory();

        try (EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir))) {
            assertThat(readAll(second, topic, 1)).containsExactly("kept");
        }
    }

    @Test
    void aDataDirectoryInUseByAnotherBrokerFailsWithAMessageNamingTheLock(@TempDir Path dataDir) {
        try (EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir))) {
            // refused before Kafka opens the directory: Kafka's own failure path could halt the JVM
            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dataDir)))
                    .isInstanceOf(SandboxStartupException.class)
                    .hasMessageContaining("Failed to acquire lock");
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void aTakenPortFailsWithAMessageNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(port)))
                    .isInstanceOf(SandboxStartupException.class)
                    .hasMessage("port " + port + " is already in use; choose another or 0 for a free port");
        }
    }

    @Test
    void aRestartAfterAnotherProcessTookThePortFailsWithAMessageNamingThePort() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            kafka.stop();
            try (ServerSocket taken = new ServerSocket()) {
                taken.bind(new InetSocketAddress("127.0.0.1", kafka.port()));

                assertThatThrownBy(kafka::restart)
                        .isInstanceOf(SandboxStartupException.class)
                        .hasMessage("port " + kafka.port() + " is already in use; choose another or 0 for a free port");
                assertThat(kafka.isRunning()).isFalse();
            }
            kafka.restart();
            assertThat(kafka.isRunning()).isTrue();
        }
    }

    @Test
    void automaticTopicCreationIsOffSoAMistypedTopicIsNotCreated() throws Exception {
        String missing = "missing-" + UUID.randomUUID();
        Properties config = producerConfig(shared);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(missing, "v")).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("not present in metadata");
        }
        try (Admin admin = admin(shared)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(missing);
        }
    }

    private static String createTopic(EmbeddedKafka kafka, int partitions) throws Exception {
        String topic = "embedded-" + UUID.randomUUID();
        try (Admin admin = admin(kafka)) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static void produce(EmbeddedKafka kafka, String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka))) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            return pollValues(consumer, expected);
        }
    }

    /** Polls until {@code expected} values arrived or {@link #WAIT} passed; returns what arrived. */
    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Properties producerConfig(EmbeddedKafka kafka) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    private static Properties consumerConfig(EmbeddedKafka kafka) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }
}
