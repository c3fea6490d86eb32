package dev.courier.testkit;

import java.net.URI;

import dev.courier.sandbox.LocalSandbox;

/** The in-JVM broker and registry stand-in, on free ports with temporary data. */
final class EmbeddedBackend implements SandboxBackend {

    private final LocalSandbox sandbox;

    private EmbeddedBackend(LocalSandbox sandbox) {
        this.sandbox = sandbox;
    }

    static EmbeddedBackend start() {
        return new EmbeddedBackend(LocalSandbox.start(LocalSandbox.Options.defaults()));
    }

    @Override
    public String bootstrapServers() {
        return sandbox.bootstrapServers();
    }

    @Override
    public URI registryUrl() {
        return sandbox.registryUrl();
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
