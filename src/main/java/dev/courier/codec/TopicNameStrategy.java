package dev.courier.codec;

/** Confluent's default subject naming: the topic name plus {@code -value} or {@code -key}. */
final class TopicNameStrategy {
    private TopicNameStrategy() {}

    static String valueSubject(String topic) {
        return topic + "-value";
    }

    static String keySubject(String topic) {
        return topic + "-key";
    }
}
