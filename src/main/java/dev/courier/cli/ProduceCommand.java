package dev.courier.cli;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Settings;
import dev.courier.engine.KafkaClients;
import dev.courier.engine.KafkaTopics;
import dev.courier.engine.Registry;
import dev.courier.engine.Validation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code courier produce}: publishes request events read as JSON lines. Every line is checked as the
 * engine would check the event; a bad line is reported with its number and not sent, the others are.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {
            "Publish request events, one JSON object per line, to the requests topic.",
            "Fields: key (the Kafka key; keyBase64 for binary keys), id, method, url (or target and path), headers,"
                    + " body (text; bodyBase64 for binary bodies), contentType, timeoutMs, maxAttempts, deadline"
                    + " (ISO-8601 or epoch milliseconds), idempotencyKey, correlationId, rateLimitKey, attributes;"
                    + " see schemas/RequestEvent.avsc.",
            "Each line is validated; a bad line is reported with its line number and reason and is not sent."
                    + " The exit code is 1 if any line was not sent."})
final class ProduceCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    ConfigOptions config;

    @Option(names = "--file", paramLabel = "FILE", description = "Read from FILE instead of standard input.")
    Path file;

    ProduceCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = config.load(io);
        String topic = settings.topics().requests();
        RequestLines lines = new RequestLines(Validation.validator(settings));
        EventCodec codec = Registry.codec(settings);
        KafkaClients kafka = new KafkaClients(settings);
        try (Admin admin = kafka.admin("courier-produce")) {
            new KafkaTopics(admin, settings).partitions(List.of(topic));
        }
        Map<Integer, String> failures = new ConcurrentSkipListMap<>();
        Set<RequestLines.Hint> hints = EnumSet.noneOf(RequestLines.Hint.class);
        AtomicInteger sent = new AtomicInteger();
        String stoppedBy = null;
        try (BufferedReader reader = open(); KafkaProducer<byte[], byte[]> producer = kafka.producer("courier-produce")) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                RequestLines.Accepted request;
                byte[] value;
                try {
                    request = lines.read(line);
                    value = codec.encodeRequest(topic, request.request());
                } catch (RequestLines.Rejected e) {
                    failures.put(number, e.getMessage());
                    hints.addAll(e.hints());
                    continue;
                } catch (IllegalArgumentException e) {
                    failures.put(number, e.getMessage());
                    continue;
                } catch (SchemaRegistryException e) {
                    stoppedBy = "stopped at line " + number + ": " + e.getMessage();
                    break;
                }
                int lineNumber = number;
                producer.send(new ProducerRecord<>(topic, request.key(), value), (metadata, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                    } else {
                        failures.put(lineNumber, "not sent: " + error.getMessage());
                    }
                });
            }
            producer.flush();
        }
        failures.forEach((number, reason) -> io.err().println("line " + number + ": " + reason));
        hints.forEach(hint -> io.err().println(hint.explanation()));
        int rejected = failures.size();
        io.err().println("sent " + Text.count(sent.get(), "event") + " to " + topic
                + (rejected == 0 ? "" : "; " + Text.count(rejected, "line") + " not sent"));
        if (stoppedBy != null) {
            throw new CommandFailedException(stoppedBy + "; the lines after it were not read");
        }
        return rejected == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private BufferedReader open() throws IOException {
        if (file == null) {
            return new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException("cannot read " + file + ": no such file");
        }
    }
}
