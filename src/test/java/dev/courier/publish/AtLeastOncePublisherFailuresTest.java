package dev.courier.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.codec.EventCodec;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.testkit.InMemorySchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The at-least-once publisher classifies a failed send as the exactly-once one does (issue 22, item 1): a permanent
 * failure stops Courier naming the topic; a retriable one is sent again, unless the cluster says its topic is gone.
 */
@Timeout(30)
class AtLeastOncePublisherFailuresTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private volatile boolean topicGone;
    private final AtLeastOncePublisher publisher = new AtLeastOncePublisher(producer,
            new OutcomeRecords(EventCodec.create(new InMemorySchemaRegistry(), true), "results", "dead-letters",
                    Clock.fixed(NOW, ZoneOffset.UTC), 1_000_000), new ClusterChecks() {
                        @Override
                        public boolean topicGone(String topic) {
                            return topicGone;
                        }

                        @Override
                        public TransactionState transactionState(String transactionalId) {
                            return TransactionState.UNKNOWN;
                        }
                    }, fatal::add);

    @AfterEach
    void close() {
        publisher.close(Duration.ZERO);
    }

    @Test
    void aWriteThatIsNotAuthorizedStopsCourierNamingTheTopic() {
        publish();
        producer.errorNext(new TopicAuthorizationException("Not authorized to access topics: [results]"));

        assertThat(fatal).singleElement().isInstanceOf(OutcomesRefusedException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("outcomes on topic results").contains("not authorized");
        assertThat(heard).isEmpty();
    }

    @Test
    void anOutcomeTooLargeEvenInItsMinimalFormStopsCourierNamingTheTopic() {
        publish();
        for (int refusal = 1; refusal <= 5; refusal++) {
            int sends = refusal;
            await("send " + sends).atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= sends);
            producer.errorNext(new RecordTooLargeException("larger than the max message size"));
        }

        assertThat(fatal).singleElement().isInstanceOf(OutcomesRefusedException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("outcomes on topic results").contains("too large");
    }

    @Test
    void aSendThatTimesOutIsSentAgainUnlessTheClusterSaysItsTopicIsGone() {
        publish();
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));
        await("sent again").atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 2);
        topicGone = true;
        producer.errorNext(new TimeoutException("Topic results not present in metadata after 5000 ms."));

        await("stopped").atMost(Duration.ofSeconds(10)).until(() -> !fatal.isEmpty());
        assertThat(fatal).singleElement().isInstanceOf(OutcomesRefusedException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("outcomes on topic results").contains("does not exist");
        assertThat(producer.history()).as("sends").hasSize(2);
    }

    private void publish() {
        RequestSpec request = new RequestSpec("r-1", "GET", "https://api.example.com/x", null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());
        Origin origin = new Origin(new Source("requests", 0, 1), Bytes.utf8("k"), request, null, Map.of(), 0, 1, -1);
        publisher.publish(origin, "api.example.com", new Outcome.Result(200, Map.of(), Bytes.utf8("ok"), false,
                Duration.ofMillis(3), new Attempts(1, NOW, NOW)), new OutcomePublisher.Progress() {
                    @Override
                    public void covered() {
                        heard.add("covered");
                    }

                    @Override
                    public void dropped() {
                        heard.add("dropped");
                    }
                });
    }
}
