package dev.courier.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects a {@link TestSandbox}: a real Kafka broker and a schema
 * registry shared by every test class in the JVM. The backend is chosen by the system property
 * {@code courier.test.sandbox} ({@code embedded}, the default; {@code containers}; {@code auto}).
 *
 * <p>The sandbox starts lazily, once, when the first test asks for it (it takes seconds), and is
 * kept in the root extension store, which closes it after the last test. If it fails to start,
 * every test that asks for it fails with the same error.
 *
 * <pre>
 * &#64;WithSandbox
 * class IntakeIT {
 *     &#64;Test
 *     void consumesFromANewTopic(TestSandbox sandbox) {
 *         String topic = sandbox.newTopic("requests", 3);
 *         ...
 *     }
 * }
 * </pre>
 */
public final class SandboxExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestSandbox.class;
    }

    @Override
    public TestSandbox resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The JVM's sandbox, started on first use; thread-safe (the store computes it once). */
    static TestSandbox shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                TestSandbox.class, key -> TestSandbox.start(BackendChoice.fromSystemProperty()), TestSandbox.class);
    }
}
