package dev.courier.cli;

import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.URI;
import org.junit.jupiter.api.Timeout;

/**
 * The end-to-end scenarios on the shared sandbox: the in-JVM broker and registry stand-in in CI, or the containers
 * with {@code -Dcourier.test.sandbox=containers}.
 */
@WithSandbox
@Timeout(180)
class SandboxEndToEndIT extends EndToEndScenarios {

    private final TestSandbox sandbox;

    SandboxEndToEndIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    String bootstrapServers() {
        return sandbox.bootstrapServers();
    }

    @Override
    URI registryUrl() {
        return sandbox.registryUrl();
    }

    @Override
    String newTopic(String prefix, int partitions) {
        return sandbox.newTopic(prefix, partitions);
    }
}
