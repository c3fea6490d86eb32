package dev.courier.bench.contenders;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads a request event as any Kafka client of Courier's topic would: the Confluent wire format (magic byte, schema
 * id, Avro binary), the writer's schema fetched once by id from the registry ({@code GET /schemas/ids/{id}}) and
 * cached, then Avro's generic reader. This is the work {@code KafkaAvroDeserializer} does for a parallel-consumer
 * user, so the contenders decode what Courier decodes. Thread-safe.
 */
final class RequestReader {

    /** The fields of a request event the contenders act on. */
    record Request(String id, String method, String url, Map<String, String> headers, byte[] body, String contentType) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    RequestReader(String registry) {
        this.registry = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
    }

    Request read(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (value.length < 5 || buffer.get() != 0) {
            throw new IllegalArgumentException("not in the Confluent wire format");
        }
        int schemaId = buffer.getInt();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, decoders.get());
        decoders.set(decoder);
        GenericRecord event;
        try {
            event = readers.computeIfAbsent(schemaId, this::fetch).read(null, decoder);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt Avro: " + e.getMessage(), e);
        }
        Map<String, String> headers = new java.util.HashMap<>();
        ((Map<?, ?>) event.get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
        ByteBuffer body = (ByteBuffer) event.get("body");
        byte[] bodyBytes = null;
        if (body != null) {
            bodyBytes = new byte[body.remaining()];
            body.get(bodyBytes);
        }
        return new Request(text(event.get("id")), text(event.get("method")), text(event.get("url")), headers,
                bodyBytes, text(event.get("contentType")));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private GenericDatumReader<GenericRecord> fetch(int id) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + id)).timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("registry answered " + response.statusCode() + " for schema " + id);
            }
            Schema schema = new Schema.Parser().parse(JSON.readTree(response.body()).get("schema").asText());
            return new GenericDatumReader<>(schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch schema " + id + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching schema " + id, e);
        }
    }
}
