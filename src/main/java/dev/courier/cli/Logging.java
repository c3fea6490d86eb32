package dev.courier.cli;

import org.slf4j.LoggerFactory;

/** Adjusts Courier's own log level where the command's output is for a person watching it. */
final class Logging {

    private Logging() {
    }

    /** Only warnings and errors from Courier's classes, when Logback is the logging backend. */
    static void quiet() {
        if (LoggerFactory.getLogger("dev.courier") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
