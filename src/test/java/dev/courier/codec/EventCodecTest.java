package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final FakeSchemaRegistry registry = new FakeSchemaRegistry();
    private final EventCodec codec = EventCodec.create(registry, true);

    @Test
    void aRequestSurvivesEncodingAndDecodingWithEveryField() throws Exception {
        RequestSpec request = new RequestSpec("r-1", "POST", null, "payments", "/charges?x=1",
                Map.of("X-Trace", "abc"), Bytes.copyOf(new byte[] {0, (byte) 0xff, 7}), "application/octet-stream",
                1500L, 3, Instant.parse("2026-11-21T10:15:30.123Z"), "idem-1", "corr-1", "orders",
                Map.of("tenant", "t1"));

        byte[] value = codec.encodeRequest("requests", request);

        assertThat(value[0]).isZero();
        assertThat(codec.decodeRequest("requests", value)).isEqualTo(request);
    }

    @Test
    void aMinimalRequestKeepsItsNullsAndEmptyMaps() throws Exception {
        RequestSpec request = new RequestSpec("r-2", "GET", "https://a.example.com", null, null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());

        assertThat(codec.decodeRequest("requests", codec.encodeRequest("requests", request))).isEqualTo(request);
    }

    @Test
    void aRequestSurvivesJsonBothWays() throws Exception {
        RequestSpec request = new RequestSpec("r-3", "PUT", "https://a.example.com/x", null, null, Map.of("A", "b"),
                Bytes.utf8("{\"n\":1}"), "application/json", null, 2, null, null, "c", null, Map.of());

        ObjectNode json = EventJson.toJson(request);

        assertThat(json.get("body").textValue()).isEqualTo("{\"n\":1}");
        assertThat(EventJson.requestFromJson(json)).isEqualTo(request);
    }

    @Test
    void anyEventTypeDecodesToJson() throws Exception {
        byte[] result = EventSerde.create(registry, true).encode("results", Events.result());

        ObjectNode json = codec.decodeToJson("results", result, EventType.RESULT);

        assertThat(json.get("requestId").textValue()).isEqualTo(Events.result().getRequestId());
    }

    @Test
    void decodingAResultAsARequestIsAnIncompatibleSchema() throws Exception {
        byte[] result = EventSerde.create(registry, true).encode("results", Events.result());

        assertThatThrownBy(() -> codec.decodeRequest("results", result))
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(DecodeException.Reason.INCOMPATIBLE_SCHEMA));
    }
}
