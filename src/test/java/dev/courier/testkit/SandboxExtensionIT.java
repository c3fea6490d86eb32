package dev.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@WithSandbox
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SandboxExtensionIT {

    /** The handle each test class was given, by class name. */
    private static final Map<String, TestSandbox> SEEN = new ConcurrentHashMap<>();

    @AfterAll
    static void everyTestClassWasGivenTheSameSandbox() {
        assertThat(SEEN).containsOnlyKeys("FirstTestClass", "SecondTestClass");
        assertThat(SEEN.get("FirstTestClass")).isSameAs(SEEN.get("SecondTestClass"));
    }

    @Test
    void aTestGetsABrokerThatStoresAndServesRecords(TestSandbox sandbox) throws Exception {
        String topic = sandbox.newTopic("extension", 1);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(sandbox))) {
            producer.send(new ProducerRecord<>(topic, "key", "hello")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(sandbox))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThat(pollOne(consumer)).isEqualTo("hello");
        }
    }

    @Test
    void aTestGetsARegistryThatRegistersSchemas(TestSandbox sandbox) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest register = HttpRequest.newBuilder(sandbox.registryUrl().resolve("/subjects/extension-" + UUID.randomUUID() + "-value/versions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}"))
                .build();

        HttpResponse<String> response = http.send(register, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("\\{\"id\":\\d+}");
    }

    @Test
    void newTopicsHaveUniqueNamesAndTheRequestedPartitions(TestSandbox sandbox) throws Exception {
        String first = sandbox.newTopic("orders", 3);
        String second = sandbox.newTopic("orders", 3);

        assertThat(first).startsWith("orders-").isNotEqualTo(second);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers()))) {
            var descriptions = admin.describeTopics(Set.of(first, second)).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(descriptions.get(first).partitions()).hasSize(3);
            assertThat(descriptions.get(second).partitions()).hasSize(3);
        }
    }

    @Nested
    class FirstTestClass {
        @Test
        void isGivenTheSharedSandbox(TestSandbox sandbox) {
            SEEN.put("FirstTestClass", sandbox);
            assertThat(sandbox.bootstrapServers()).isNotBlank();
        }
    }

    @Nested
    class SecondTestClass {
        @Test
        void isGivenTheSharedSandbox(TestSandbox sandbox) {
            SEEN.put("SecondTestClass", sandbox);
            assertThat(sandbox.bootstrapServers()).isNotBlank();
        }
    }

    private static String pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return record.value();
            }
        }
        return null;
    }

    private static Properties producerConfig(TestSandbox sandbox) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    private static Properties consumerConfig(TestSandbox sandbox) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }
}
