package dev.courier.bench.jmh;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryClient;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Courier's codec on the hot path, through its public API: decoding a request event of about 1 KB (the benchmark's
 * event) from the Confluent wire format, encoding one, and encoding the result Courier publishes for it. The schema
 * registry is an in-memory {@link SchemaRegistryClient}, so no HTTP is measured (Courier caches those answers too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    private static final String REQUESTS = "courier.requests";
    private static final String RESULTS = "courier.results";

    private EventCodec codec;
    private RequestSpec request;
    private byte[] encodedRequest;
    private Outcome.Result result;

    @Setup
    public void setUp() throws SchemaRegistryException {
        codec = EventCodec.create(new InMemoryRegistry(), true);
        byte[] body = new byte[900];
        java.util.Arrays.fill(body, (byte) 'x');
        request = new RequestSpec("e12345", "POST", "http://127.0.0.1:8090/work/12345", null, null,
                Map.of("X-Bench", "courier"), Bytes.wrap(body), "application/json", null, null, null, null, null, null,
                Map.of());
        encodedRequest = codec.encodeRequest(REQUESTS, request);
        codec.prepareOutcomes(RESULTS, "courier.dead-letters");
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        result = new Outcome.Result(200, Map.of("Content-Type", "application/json"),
                Bytes.wrap("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), false, Duration.ofMillis(3),
                new Attempts(1, now, now));
    }

    @Benchmark
    public RequestSpec decodeRequest() throws DecodeException, SchemaRegistryException {
        return codec.decodeRequest(REQUESTS, encodedRequest);
    }

    @Benchmark
    public byte[] encodeRequest() throws SchemaRegistryException {
        return codec.encodeRequest(REQUESTS, request);
    }

    @Benchmark
    public byte[] encodeResult() throws SchemaRegistryException {
        return codec.encodeResult(RESULTS, request, "127.0.0.1", result);
    }

    /** A registry in memory: ids from 1, one version per distinct schema of a subject. Thread-safe. */
    static final class InMemoryRegistry implements SchemaRegistryClient {
        private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
        private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();
        private final AtomicInteger nextId = new AtomicInteger(1);

        @Override
        public synchronized int register(String subject, Schema schema) {
            for (Map.Entry<Integer, Schema> entry : byId.entrySet()) {
                if (entry.getValue().equals(schema) && subjects.getOrDefault(subject, List.of()).contains(entry.getKey())) {
                    return entry.getKey();
                }
            }
            int id = nextId.getAndIncrement();
            byId.put(id, schema);
            subjects.merge(subject, List.of(id), (a, b) -> {
                List<Integer> all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            });
            return id;
        }

        @Override
        public Schema schemaById(int id) throws SchemaRegistryException {
            Schema schema = byId.get(id);
            if (schema == null) {
                throw new IllegalStateException("no schema " + id);
            }
            return schema;
        }

        @Override
        public SubjectVersion latest(String subject) {
            List<Integer> ids = subjects.get(subject);
            if (ids == null) {
                throw new IllegalStateException("no subject " + subject);
            }
            int id = ids.get(ids.size() - 1);
            return new SubjectVersion(subject, ids.size(), id, byId.get(id));
        }
    }
}
