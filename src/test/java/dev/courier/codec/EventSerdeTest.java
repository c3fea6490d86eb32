package dev.courier.codec;

import dev.courier.testkit.InMemorySchemaRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.RequestEvent;
import dev.courier.avro.ResultEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventSerdeTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final EventSerde serde = EventSerde.create(registry, true);

    @Test
    void eachEventTypeSurvivesEncodingAndDecoding() throws Exception {
        assertThat(serde.decode("requests", serde.encode("requests", Events.request()),
                RequestEvent.class)).isEqualTo(Events.request());
        assertThat(serde.decode("requests", serde.encode("requests", Events.minimalRequest()),
                RequestEvent.class)).isEqualTo(Events.minimalRequest());
        assertThat(serde.decode("results", serde.encode("results", Events.result()),
                ResultEvent.class)).isEqualTo(Events.result());
        assertThat(serde.decode("dead", serde.encode("dead", Events.deadLetter()),
                DeadLetterEvent.class)).isEqualTo(Events.deadLetter());
    }

    @Test
    void encodingRegistersTheSchemaOnceUnderTheTopicValueSubject() throws Exception {
        byte[] first = serde.encode("requests", Events.request());
        serde.encode("requests", Events.minimalRequest());
        serde.encode("requests", Events.request());

        assertThat(registry.calls()).isEqualTo(1);
        assertThat(schemaIdOf(first)).isEqualTo(registry.latest("requests-value").id());
    }

    @Test
    void eachTopicHasItsOwnSubject() throws Exception {
        serde.encode("requests", Events.request());
        serde.encode("replays", Events.request());

        assertThat(registry.latest("requests-value").schema()).isEqualTo(RequestEvent.getClassSchema());
        assertThat(registry.latest("replays-value").schema()).isEqualTo(RequestEvent.getClassSchema());
    }

    @Test
    void decodingFetchesEachWriterSchemaOnce() throws Exception {
        byte[] bytes = serde.encode("requests", Events.request());
        int callsAfterEncoding = registry.calls();
        EventSerde reader = EventSerde.create(registry, true);

        reader.decode("requests", bytes, RequestEvent.class);
        reader.decode("requests", bytes, RequestEvent.class);
        reader.decode("requests", bytes, RequestEvent.class);

        assertThat(registry.calls()).isEqualTo(callsAfterEncoding + 1);
    }

    @Test
    void withoutAutoRegistrationTheLatestIdOfTheSubjectIsUsed() throws Exception {
        registry.put("requests-value", 17, RequestEvent.getClassSchema());
        EventSerde serde = EventSerde.create(registry, false);

        byte[] bytes = serde.encode("requests", Events.request());
        serde.encode("requests", Events.request());

        assertThat(schemaIdOf(bytes)).isEqualTo(17);
        assertThat(registry.calls()).isEqualTo(1);
        assertThat(registry.latest("requests-value").id()).isEqualTo(17); // nothing registered
    }

    @Test
    void withoutAutoRegistrationALatestSchemaThatIsNotOursIsRefused() {
        registry.put("requests-value", 17, ResultEvent.getClassSchema());
        EventSerde serde = EventSerde.create(registry, false);

        assertThatThrownBy(() -> serde.encode("requests", Events.request()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED))
                .hasMessage("the latest schema of subject \"requests-value\" (version 1, id 17) in fake "
                        + "schema registry is not the schema of dev.courier.avro.RequestEvent that Courier "
                        + "writes, and auto-registration is off; register that schema or turn "
                        + "auto-registration on");
    }

    @Test
    void withoutAutoRegistrationAnUnknownSubjectIsNotFound() {
        EventSerde serde = EventSerde.create(registry, false);

        assertThatThrownBy(() -> serde.encode("requests", Events.request()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
    }

    @Test
    void anEventThatBreaksItsOwnSchemaCannotBeEncoded() {
        RequestEvent noId = Events.request();
        noId.setId(null);

        assertThatThrownBy(() -> serde.encode("requests", noId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode dev.courier.avro.RequestEvent for topic \"requests\"");
    }

    @Test
    void aNullValueIsATombstone() {
        assertThatThrownBy(() -> serde.decode("requests", null, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DecodeException.Reason.NULL_VALUE);
                    assertThat(e.schemaId()).isEmpty();
                })
                .hasMessage("record on topic \"requests\" has a null value (a tombstone), not an event");
    }

    @Test
    void fewerBytesThanTheHeaderAreTooShort() {
        assertThatThrownBy(() -> serde.decode("requests", new byte[] {0, 0, 0}, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.TOO_SHORT))
                .hasMessage("record on topic \"requests\" is 3 byte(s) long; a Confluent-framed Avro "
                        + "value needs at least 5 (magic byte 0x00 and a 4-byte schema id)");
    }

    @Test
    void aFirstByteOtherThanZeroIsABadMagicByteAndIsNamed() {
        byte[] json = "{\"id\":\"r-1\"}".getBytes();

        assertThatThrownBy(() -> serde.decode("requests", json, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.BAD_MAGIC_BYTE))
                .hasMessage("record on topic \"requests\" starts with byte 0x7b, not the Confluent magic "
                        + "byte 0x00; it was not written by a schema-registry Avro serializer "
                        + "(it looks like JSON)");
        assertThatThrownBy(() -> serde.decode("requests", new byte[] {1, 0, 0, 0, 1, 2},
                RequestEvent.class)).hasMessageContaining("starts with byte 0x01,");
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchemaId() {
        byte[] bytes = {0, 0, 0, 0, 99, 6, 'r', '-', '1'};

        assertThatThrownBy(() -> serde.decode("requests", bytes, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DecodeException.Reason.UNKNOWN_SCHEMA_ID);
                    assertThat(e.schemaId()).hasValue(99);
                })
                .hasMessageStartingWith("record on topic \"requests\" names schema id 99, which the "
                        + "registry does not know: fake registry answered HTTP 404 (error_code 40403");
    }

    @Test
    void aWriterSchemaTheReaderCannotResolveIsIncompatible() throws Exception {
        byte[] result = serde.encode("requests", Events.result());

        assertThatThrownBy(() -> serde.decode("requests", result, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DecodeException.Reason.INCOMPATIBLE_SCHEMA);
                    assertThat(e.schemaId()).hasValue(schemaIdOf(result));
                })
                .hasMessageStartingWith("record on topic \"requests\" was written with schema id "
                        + schemaIdOf(result) + ", which cannot be read as dev.courier.avro.RequestEvent: "
                        + "NAME_MISMATCH");
    }

    @Test
    void aTruncatedBodyIsMalformed() throws Exception {
        byte[] bytes = serde.encode("requests", Events.request());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> serde.decode("requests", truncated, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.MALFORMED))
                .hasMessageStartingWith("record on topic \"requests\" is not valid Avro for its writer "
                        + "schema id 1: it is truncated");
    }

    @Test
    void aHeaderWithoutABodyIsMalformed() throws Exception {
        byte[] header = Arrays.copyOf(serde.encode("requests", Events.request()), 5);

        assertThatThrownBy(() -> serde.decode("requests", header, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.MALFORMED));
    }

    @Test
    void bytesAfterTheRecordAreMalformed() throws Exception {
        byte[] bytes = serde.encode("requests", Events.request());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> serde.decode("requests", longer, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.MALFORMED))
                .hasMessageEndingWith("it has 2 trailing byte(s) after the record");
    }

    @Test
    void aLengthLargerThanTheWholeValueIsMalformedBeforeAnythingIsAllocated() throws Exception {
        serde.encode("requests", Events.request()); // registers id 1
        // id: a string claiming 2^30 bytes (zig-zag varint 0x80 0x80 0x80 0x80 0x08)
        byte[] bytes = {0, 0, 0, 0, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

        assertThatThrownBy(() -> serde.decode("requests", bytes, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.MALFORMED))
                .hasMessageContaining("string length 1073741824 exceeds the 5 bytes of the whole value");
    }

    @Test
    void aUnionIndexOutOfRangeIsMalformed() throws Exception {
        serde.encode("requests", Events.request()); // registers id 1
        // id "a", method "G", url: union branch 5 of 2
        byte[] bytes = {0, 0, 0, 0, 1, 2, 'a', 2, 'G', 10};

        assertThatThrownBy(() -> serde.decode("requests", bytes, RequestEvent.class))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.MALFORMED));
    }

    @Test
    void anUnreachableRegistryIsNotADecodeFailureButATransientRegistryError() throws Exception {
        byte[] bytes = serde.encode("requests", Events.request());
        registry.goDown();
        EventSerde reader = EventSerde.create(registry, true);

        assertThatThrownBy(() -> reader.decode("requests", bytes, RequestEvent.class))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isTransient()).isTrue())
                .hasMessageContaining("unreachable");
    }

    @Test
    void decodedBodiesAreIndependentOfTheRecordBytes() throws Exception {
        byte[] bytes = serde.encode("requests", Events.request());
        RequestEvent event = serde.decode("requests", bytes, RequestEvent.class);
        Arrays.fill(bytes, (byte) 0);

        assertThat(event.getBody()).isEqualTo(ByteBuffer.wrap("{\"n\":1}".getBytes()));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void oneInstanceServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        RequestEvent event = Events.request();
                        event.setId("r-" + thread + "-" + i);
                        byte[] bytes = serde.encode("requests", event);
                        assertThat(serde.decode("requests", bytes, RequestEvent.class)).isEqualTo(event);
                        ResultEvent result = Events.result();
                        assertThat(serde.decode("results", serde.encode("results", result), ResultEvent.class))
                                .isEqualTo(result);
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // two registrations and two fetches, plus at most one duplicate of each per racing thread
        assertThat(registry.calls()).isBetween(4, 4 * 8);
    }

    private static int schemaIdOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
