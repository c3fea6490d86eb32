package dev.courier.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Durations;
import dev.courier.config.Settings;
import dev.courier.engine.KafkaClients;
import dev.courier.engine.KafkaTopics;
import dev.courier.engine.Registry;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier consume}: prints the events of one of Courier's topics as JSON lines, outside any
 * consumer group (it commits nothing and disturbs no one), reading committed data only.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {
            "Print the events of a Courier topic as JSON lines on standard output, the Kafka key as \"key\" (or"
                    + " \"keyBase64\" when it is not UTF-8). Lines printed from the requests topic can be fed back"
                    + " to 'courier produce'.",
            "Reads outside any consumer group and only committed data. Stops after --max events, after --timeout"
                    + " without a new event, or on Ctrl-C."})
final class ConsumeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final Io io;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", converter = EventTopic.Converter.class,
            completionCandidates = EventTopic.Labels.class,
            description = "Which topic: ${COMPLETION-CANDIDATES}.")
    EventTopic topic;

    @Option(names = "--from-beginning", description = "Start at the oldest event instead of after the newest.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N events; exit 1 if fewer arrive before --timeout.")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop when no event has arrived for DURATION (e.g. 10s). Default: wait until interrupted.")
    Duration timeout;

    ConsumeCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max must be at least 1");
        }
        Settings settings = config.load(io);
        String name = topic.topicName(settings.topics());
        EventCodec codec = Registry.codec(settings);
        KafkaClients kafka = new KafkaClients(settings);
        int partitions;
        try (Admin admin = kafka.admin("courier-consume")) {
            partitions = new KafkaTopics(admin, settings).partitions(List.of(name)).get(name);
        }
        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.standaloneConsumer("courier-consume")) {
            Thread stopOnInterrupt = new Thread(() -> {
                consumer.wakeup();
                awaitQuietly(finished);
            }, "courier-consume-interrupt");
            Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
            try {
                return consume(consumer, name, partitions, codec);
            } finally {
                finished.countDown();
                removeQuietly(stopOnInterrupt);
            }
        }
    }

    private int consume(KafkaConsumer<byte[], byte[]> consumer, String name, int partitions, EventCodec codec) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            assigned.add(new TopicPartition(name, partition));
        }
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
        int printed = 0;
        int undecodable = 0;
        long idleSince = System.nanoTime();
        try {
            while (max == null || printed < max) {
                if (timeout != null && System.nanoTime() - idleSince >= timeout.toNanos()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    idleSince = System.nanoTime();
                    try {
                        io.out().println(JSON.writeValueAsString(line(record, codec.decodeToJson(name, record.value(),
                                topic.eventType()))));
                        printed++;
                    } catch (DecodeException e) {
                        undecodable++;
                        io.err().println("partition " + record.partition() + " offset " + record.offset() + ": "
                                + e.getMessage());
                    } catch (SchemaRegistryException e) {
                        throw new CommandFailedException(e.getMessage(), e);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("a JSON tree could not be written", e);
                    }
                    if (max != null && printed == max) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            // interrupted: print the summary and stop
        }
        io.err().println("consumed " + Text.count(printed, "event") + " from " + name
                + (undecodable == 0 ? "" : "; " + Text.count(undecodable, "record") + " could not be decoded"));
        if (max != null && printed < max && timeout != null) {
            throw new CommandFailedException("timed out after " + Durations.format(timeout) + " without a new event, with "
                    + printed + " of " + max + " events");
        }
        return undecodable == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The event's JSON with the Kafka key first. */
    private static ObjectNode line(ConsumerRecord<byte[], byte[]> record, ObjectNode event) {
        ObjectNode line = JSON.createObjectNode();
        byte[] key = record.key();
        if (key != null) {
            try {
                line.put("key", StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(key)).toString());
            } catch (CharacterCodingException e) {
                line.put("keyBase64", Base64.getEncoder().encodeToString(key));
            }
        }
        line.setAll(event);
        return line;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
    }

    /** Reads {@code 10s}, {@code 500ms}, {@code 2m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
