package dev.courier.codec;

import dev.courier.avro.DeadLetterEvent;
import dev.courier.avro.RequestEvent;
import dev.courier.avro.ResultEvent;
import dev.courier.avro.StatusEvent;
import org.apache.avro.specific.SpecificRecord;

/** The kinds of event Courier's topics carry. */
public enum EventType {
    REQUEST(RequestEvent.class),
    RESULT(ResultEvent.class),
    DEAD_LETTER(DeadLetterEvent.class),
    STATUS(StatusEvent.class);

    private final Class<? extends SpecificRecord> generatedClass;

    EventType(Class<? extends SpecificRecord> generatedClass) {
        this.generatedClass = generatedClass;
    }

    Class<? extends SpecificRecord> generatedClass() {
        return generatedClass;
    }
}
