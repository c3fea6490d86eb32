package dev.courier.config;

/** How {@code courier run} writes its log lines to standard error. */
public enum LogFormat {
    /** JSON lines when Courier does not run on a terminal (a container, a service manager), readable text on one. */
    AUTO,
    /** One JSON object per line (Logstash's layout), for log collectors. */
    JSON,
    /** Readable lines: time, level, thread, logger and message. */
    TEXT
}
