package dev.courier.status;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** {@link RequestStatus} values in the view's repartition topic, store and changelog: {@link StatusJson}'s JSON. */
final class StatusSerde {

    private StatusSerde() {
    }

    static Serde<RequestStatus> create() {
        Serializer<RequestStatus> serializer = (topic, status) -> status == null ? null : StatusJson.toBytes(status);
        Deserializer<RequestStatus> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return StatusJson.fromBytes(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
