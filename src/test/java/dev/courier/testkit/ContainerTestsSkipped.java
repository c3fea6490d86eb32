package dev.courier.testkit;

import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in one INFO line at the end of a test run which test classes were skipped because no Docker engine answered
 * ({@code @Testcontainers(disabledWithoutDocker = true)}), and why that is fine. Testcontainers' own ERROR about the
 * missing Docker environment is kept out of the output by {@code logback-test.xml}. Registered with the JUnit
 * Platform through {@code META-INF/services}.
 */
public final class ContainerTestsSkipped implements TestExecutionListener {

    /** The reason Testcontainers' JUnit extension gives when it disables a class without Docker. */
    static final String TESTCONTAINERS_REASON = "disabledWithoutDocker is true and Docker is not available";

    private static final Logger LOG = LoggerFactory.getLogger(ContainerTestsSkipped.class);

    private final Set<String> skipped = new TreeSet<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (TESTCONTAINERS_REASON.equals(reason)) {
            test.getSource().map(ContainerTestsSkipped::className).ifPresent(skipped::add);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!skipped.isEmpty()) {
            LOG.info("Skipped {}: they run against containers and no Docker engine answered, which is expected where"
                    + " Docker is not installed; the other tests ran against the in-JVM broker and registry stand-in",
                    String.join(", ", skipped));
        }
    }

    private static String className(TestSource source) {
        String name = source instanceof ClassSource type ? type.getClassName()
                : source instanceof MethodSource method ? method.getClassName()
                : source.toString();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
