package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.avro.RequestEvent;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CachingSchemaRegistryClientTest {
    private static final Schema SCHEMA = RequestEvent.getClassSchema();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void aSchemaFetchedOnceIsServedWithoutAskingTheRegistryAgain() throws Exception {
        registry.put("requests-value", 7, SCHEMA);
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(registry, 10);

        for (int i = 0; i < 100; i++) {
            assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
        }

        assertThat(registry.calls()).isEqualTo(1);
    }

    @Test
    void aSchemaRegisteredOnceUnderASubjectIsNotRegisteredAgain() throws Exception {
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(registry, 10);

        int id = client.register("requests-value", SCHEMA);
        for (int i = 0; i < 100; i++) {
            assertThat(client.register("requests-value", SCHEMA)).isEqualTo(id);
        }

        assertThat(registry.calls()).isEqualTo(1);
    }

    @Test
    void theCacheKeepsNoMoreSchemasThanItsSize() throws Exception {
        for (int id = 1; id <= 100; id++) {
            registry.put("s" + id + "-value", id, SCHEMA);
        }
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(registry, 10);
        for (int id = 1; id <= 100; id++) {
            client.schemaById(id);
        }

        int before = registry.calls();
        for (int id = 1; id <= 100; id++) {
            client.schemaById(id);
        }

        assertThat(registry.calls() - before).as("ids asked again (at most 10 of 100 may be kept)")
                .isGreaterThanOrEqualTo(90);
    }

    @Test
    void anUnknownIdIsAnsweredFromMemoryUntilTheMissExpiresSoASchemaRegisteredLaterIsFound() throws Exception {
        CachingSchemaRegistryClient client = withMissTtl(Duration.ofSeconds(5));
        for (int i = 0; i < 1_000; i++) {
            assertThatThrownBy(() -> client.schemaById(99))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND);
                        assertThat(e.errorCode()).isEqualTo(40403);
                    })
                    .hasMessage("fake registry answered HTTP 404 (error_code 40403: Schema 99 not found)");
        }
        assertThat(registry.calls()).isEqualTo(1);

        registry.put("late-value", 99, SCHEMA);
        nanos.addAndGet(Duration.ofMillis(4_900).toNanos());
        assertThatThrownBy(() -> client.schemaById(99)).isInstanceOf(SchemaRegistryException.class);
        assertThat(registry.calls()).isEqualTo(1);

        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(client.schemaById(99)).isEqualTo(SCHEMA);
        assertThat(registry.calls()).isEqualTo(2);
    }

    @Test
    void theMissesKeptAreBoundedByTheCacheSize() throws Exception {
        CachingSchemaRegistryClient client = withMissTtl(Duration.ofSeconds(5));
        for (int id = 1; id <= 100; id++) {
            fetchUnknown(client, id);
        }

        int before = registry.calls();
        for (int id = 1; id <= 100; id++) {
            fetchUnknown(client, id);
        }

        assertThat(registry.calls() - before).as("ids asked again (at most 10 of 100 misses may be kept)")
                .isGreaterThanOrEqualTo(90);
    }

    @Test
    void aRegistryThatCannotBeReachedIsAskedAgainOnTheNextLookup() {
        registry.goDown();
        CachingSchemaRegistryClient client = withMissTtl(Duration.ofSeconds(5));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                    e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE));
        }

        assertThat(registry.calls()).isEqualTo(3);
    }

    @Test
    @Timeout(10)
    void aLookupWaitingOnTheRegistryDoesNotHoldUpALookupOfAnotherId() throws Exception {
        CountDownLatch slowCallStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry.put("a-value", 1, SCHEMA);
        registry.put("b-value", 2, SCHEMA);
        SchemaRegistryClient slowForId1 = new ForwardingRegistry(registry) {
            @Override
            public Schema schemaById(int id) throws SchemaRegistryException {
                if (id == 1) {
                    slowCallStarted.countDown();
                    await(release);
                }
                return super.schemaById(id);
            }
        };
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(slowForId1, 10);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<Schema> slow = threads.submit(() -> client.schemaById(1));
            assertThat(slowCallStarted.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(CompletableFuture.supplyAsync(() -> fetch(client, 2)).get(5, TimeUnit.SECONDS))
                    .isEqualTo(SCHEMA);

            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo(SCHEMA);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private CachingSchemaRegistryClient withMissTtl(Duration missTtl) {
        return new CachingSchemaRegistryClient(registry, 10, missTtl, nanos::get);
    }

    private static void fetchUnknown(SchemaRegistryClient client, int id) {
        assertThatThrownBy(() -> client.schemaById(id)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
    }

    private static Schema fetch(SchemaRegistryClient client, int id) {
        try {
            return client.schemaById(id);
        } catch (SchemaRegistryException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Passes every call to another registry; override the calls to change. */
    static class ForwardingRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;

        ForwardingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) throws SchemaRegistryException {
            return delegate.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) throws SchemaRegistryException {
            return delegate.schemaById(id);
        }

        @Override
        public SubjectVersion latest(String subject) throws SchemaRegistryException {
            return delegate.latest(subject);
        }
    }
}
