package dev.courier.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test opened, closed newest first when the test ends: declare it as an
 * {@code @AutoClose} field and {@link #add} each resource as it is made. The first failure to close
 * is thrown after every resource has been tried.
 */
public final class Closing implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers {@code resource} to be closed after the test and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
