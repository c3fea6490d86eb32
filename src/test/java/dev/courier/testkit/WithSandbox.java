package dev.courier.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the shared Kafka broker and schema registry: declare a {@link TestSandbox}
 * parameter on a test, lifecycle method or constructor. See {@link SandboxExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SandboxExtension.class)
public @interface WithSandbox {}
