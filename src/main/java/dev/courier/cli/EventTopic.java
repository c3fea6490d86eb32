package dev.courier.cli;

import dev.courier.codec.EventType;
import dev.courier.config.TopicSettings;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine;

/** The topics a command can name: {@code requests}, {@code results}, {@code dead-letters}, {@code status}. */
enum EventTopic {
    REQUESTS("requests", EventType.REQUEST, TopicSettings::requests),
    RESULTS("results", EventType.RESULT, TopicSettings::results),
    DEAD_LETTERS("dead-letters", EventType.DEAD_LETTER, TopicSettings::deadLetters),
    STATUS("status", EventType.STATUS, TopicSettings::status);

    private final String label;
    private final EventType eventType;
    private final Function<TopicSettings, String> topicName;

    EventTopic(String label, EventType eventType, Function<TopicSettings, String> topicName) {
        this.label = label;
        this.eventType = eventType;
        this.topicName = topicName;
    }

    EventType eventType() {
        return eventType;
    }

    /** The Kafka topic configured for this role. */
    String topicName(TopicSettings topics) {
        return topicName.apply(topics);
    }

    @Override
    public String toString() {
        return label;
    }

    /** Reads {@code requests}, {@code results}, {@code dead-letters} or {@code status} from the command line. */
    static final class Converter implements CommandLine.ITypeConverter<EventTopic> {

        @Override
        public EventTopic convert(String value) {
            return Arrays.stream(values()).filter(topic -> topic.label.equals(value)).findFirst()
                    .orElseThrow(() -> new CommandLine.TypeConversionException(
                            "'" + value + "' is not one of requests, results, dead-letters, status"));
        }
    }

    /** The labels, for picocli's help and completion. */
    static final class Labels implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(EventTopic::toString).iterator();
        }
    }
}
