package dev.courier.testkit;

import java.net.URI;

/** A running broker and schema registry, however they were started. Closing stops both. */
interface SandboxBackend extends AutoCloseable {

    String bootstrapServers();

    URI registryUrl();

    /** A short name for messages, e.g. "embedded". */
    String name();

    @Override
    void close();
}
