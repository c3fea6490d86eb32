package dev.courier.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.EventType;
import dev.courier.codec.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every committed outcome on the results and dead-letter topics and counts them per request:
 * the check behind "exactly one outcome per event". Outcomes of records that could not be decoded
 * are counted by their source coordinates instead of a request id.
 */
public final class OutcomeAudit {

    /** Outcomes seen: how many per request id (or per source of an undecodable record), and their JSON. */
    public record Outcomes(Map<String, Integer> countById, List<ObjectNode> results, List<ObjectNode> deadLetters) {

        /** Ids among {@code expected} with no outcome. */
        public List<String> missing(List<String> expected) {
            return expected.stream().filter(id -> !countById.containsKey(id)).toList();
        }

        /** Ids with more than one outcome. */
        public List<String> duplicated() {
            return countById.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        }
    }

    private final KafkaClients kafka;
    private final EventCodec codec;

    public OutcomeAudit(KafkaClients kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /** Reads both topics from the beginning to their current end. */
    public Outcomes read(String resultsTopic, String deadLettersTopic) throws DecodeException, SchemaRegistryException {
        Map<String, Integer> counts = new HashMap<>();
        List<ObjectNode> results = readAll(resultsTopic, EventType.RESULT);
        List<ObjectNode> deadLetters = readAll(deadLettersTopic, EventType.DEAD_LETTER);
        results.forEach(result -> counts.merge(result.get("requestId").textValue(), 1, Integer::sum));
        deadLetters.forEach(deadLetter -> counts.merge(identity(deadLetter), 1, Integer::sum));
        return new Outcomes(counts, results, deadLetters);
    }

    static String identity(ObjectNode deadLetter) {
        JsonNode id = deadLetter.get("requestId");
        return id != null ? id.textValue()
                : deadLetter.get("sourceTopic").textValue() + "-" + deadLetter.get("sourcePartition").intValue() + "@"
                        + deadLetter.get("sourceOffset").longValue();
    }

    private List<ObjectNode> readAll(String topic, EventType type) throws DecodeException, SchemaRegistryException {
        List<ObjectNode> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.standaloneConsumer("courier-audit")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new EngineException("reading " + topic + " did not reach its end within 60s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(codec.decodeToJson(topic, record.value(), type));
                }
            }
        }
        return events;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
