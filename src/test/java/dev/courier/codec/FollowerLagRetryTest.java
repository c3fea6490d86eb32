package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.avro.RequestEvent;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A registry follower that is behind its leader answers 404 for an id that exists; the lookup asks again. */
class FollowerLagRetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = RequestEvent.getClassSchema();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MockWebServer server = new MockWebServer();
    /** Virtual time: the waits between repeats advance it, nothing sleeps. */
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final FollowerLagRetry followerLag = new FollowerLagRetry(FollowerLagRetry.DELAYS,
            FollowerLagRetry.QUIET_PERIOD, nanos::get, n -> {
                waits.add(Duration.ofNanos(n));
                nanos.addAndGet(n);
            });

    @BeforeEach
    void start() throws IOException {
        server.start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anIdAFollowerDoesNotKnowYetIsFoundByAskingAgain() throws Exception {
        server.enqueue(schemaNotFound());
        server.enqueue(schemaNotFound());
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));

        assertThat(client().schemaById(7)).isEqualTo(SCHEMA);

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void anIdStillUnknownAfterOneSecondOfRepeatsIsNotFoundAndTheMessageSaysSo() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(schemaNotFound());
        }

        assertThatThrownBy(() -> client().schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessageEndingWith("while fetching schema id 7; still not found after 4 more request(s) over 1000 ms");

        assertThat(server.getRequestCount()).isEqualTo(5);
        assertThat(waits.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(1_000);
    }

    @Test
    void onlySchemaNotFoundIsAskedAgain() {
        server.enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());
        server.enqueue(json(500, Map.of("error_code", 50001, "message", "backend")));

        assertThatThrownBy(() -> client().schemaById(1)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED));
        assertThatThrownBy(() -> client().schemaById(2)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE));

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(waits).isEmpty();
    }

    @Test
    void noRepeatIsMadeThatWouldEndPastTheTimeoutPlusOneSecond() {
        Duration slowAnswer = Duration.ofMillis(900);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                nanos.addAndGet(slowAnswer.toNanos()); // each 404 takes 900 ms of the lookup's 2 s + 1 s
                return schemaNotFound();
            }
        });

        assertThatThrownBy(() -> client().schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));

        // 0.9 s: 404; wait 0.1; 1.9 s: 404; wait 0.2; 2.9 s: 404; a wait of 0.3 would end at 3.2 s > 3 s
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(Duration.ofNanos(nanos.get())).isLessThanOrEqualTo(TIMEOUT.plusSeconds(1));
    }

    @Test
    void afterAnIdIsFoundUnknownOtherUnknownIdsAreAskedOnceForFiveSeconds() {
        server.setDispatcher(alwaysSchemaNotFound());
        SchemaRegistryClient client = client();
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class);
        assertThat(server.getRequestCount()).isEqualTo(5);

        for (int id = 2; id <= 20; id++) {
            int unknown = id;
            assertThatThrownBy(() -> client.schemaById(unknown)).isInstanceOf(SchemaRegistryException.class);
        }
        assertThat(server.getRequestCount()).isEqualTo(5 + 19);

        nanos.addAndGet(FollowerLagRetry.QUIET_PERIOD.toNanos());
        assertThatThrownBy(() -> client.schemaById(21)).isInstanceOf(SchemaRegistryException.class);
        assertThat(server.getRequestCount()).isEqualTo(5 + 19 + 5);
        assertThat(waits).hasSize(8);
    }

    @Test
    void aFloodOfRecordsNamingOneUnknownIdMakesAtMostFiveRequests() {
        server.setDispatcher(alwaysSchemaNotFound());
        EventCodec codec = EventCodec.create(cachingClient(), true);
        byte[] record = {0, 0, 0, 0, 99, 6, 'r', '-', '1'};

        for (int i = 0; i < 10_000; i++) {
            assertThatThrownBy(() -> codec.decodeRequest("requests", record))
                    .isInstanceOfSatisfying(DecodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.UNKNOWN_SCHEMA_ID));
            nanos.addAndGet(TimeUnit.MICROSECONDS.toNanos(100)); // 10,000 records in one more second
        }

        assertThat(server.getRequestCount()).isLessThanOrEqualTo(5);
    }

    @Test
    void aSchemaRegisteredAfterItsIdWasFoundUnknownIsFoundOnceTheMissExpires() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(schemaNotFound());
        }
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));
        SchemaRegistryClient client = cachingClient();
        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class);

        nanos.addAndGet(CachingSchemaRegistryClient.MISS_TTL.toNanos());

        assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
        assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void anInterruptWhileWaitingToAskAgainEndsTheLookupAsUnavailable() {
        server.enqueue(schemaNotFound());
        FollowerLagRetry interrupted = new FollowerLagRetry(FollowerLagRetry.DELAYS, FollowerLagRetry.QUIET_PERIOD,
                nanos::get, n -> {
                    throw new InterruptedException();
                });
        SchemaRegistryClient client = new HttpSchemaRegistryClient(url(), null, TIMEOUT, interrupted);

        try {
            assertThatThrownBy(() -> client.schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                    e -> assertThat(e.isTransient()).isTrue())
                    .hasMessageStartingWith("interrupted while waiting to ask again");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @Timeout(20)
    void aLookupEndsWithinTheTimeoutPlusItsRepeatsEvenWhenTheAnswerTrickles() {
        Duration timeout = Duration.ofMillis(500);
        FollowerLagRetry realTime = new FollowerLagRetry(List.of(Duration.ofMillis(200)), Duration.ofSeconds(5),
                System::nanoTime, TimeUnit.NANOSECONDS::sleep);
        server.enqueue(schemaNotFound().newBuilder().headersDelay(400, TimeUnit.MILLISECONDS).build());
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())).newBuilder()
                .throttleBody(16, 1, TimeUnit.SECONDS).build()); // would take minutes
        SchemaRegistryClient client = new HttpSchemaRegistryClient(url(), null, timeout, realTime);

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("no answer within");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // the bound is 500 + 200 ms; the margin is for a loaded machine, far below the minutes of the answer
        assertThat(took).isLessThan(Duration.ofMillis(700 + 1_000));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    private SchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(url(), null, TIMEOUT, followerLag);
    }

    /** As the builder makes it, on virtual time. */
    private SchemaRegistryClient cachingClient() {
        return new CachingSchemaRegistryClient(client(), 1_000, CachingSchemaRegistryClient.MISS_TTL, nanos::get);
    }

    private URI url() {
        return URI.create(server.url("/").toString());
    }

    private static Dispatcher alwaysSchemaNotFound() {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return schemaNotFound();
            }
        };
    }

    private static MockResponse schemaNotFound() {
        return json(404, Map.of("error_code", 40403, "message", "Schema not found"));
    }

    private static MockResponse json(int code, Map<String, ?> body) {
        try {
            return new MockResponse.Builder().code(code)
                    .setHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                    .body(JSON.writeValueAsString(body)).build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
