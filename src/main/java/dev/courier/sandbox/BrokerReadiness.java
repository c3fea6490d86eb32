package dev.courier.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Waits until a broker answers clients: an Admin client's {@code describeCluster} succeeds. */
final class BrokerReadiness {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private BrokerReadiness() {}

    /**
     * Blocks until the broker at {@code bootstrapServers} lists at least one node, or
     * {@code timeout} passes.
     *
     * @throws SandboxStartupException if the broker does not answer within {@code timeout}, or
     *     the calling thread is interrupted (its interrupt flag is then set again)
     */
    static void await(String bootstrapServers, Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "courier-sandbox-readiness",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000),
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50));
        try {
            if (admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).isEmpty()) {
                throw notReady(bootstrapServers, timeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxStartupException("interrupted while waiting for the broker at " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw notReady(bootstrapServers, timeout, e);
        } finally {
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private static SandboxStartupException notReady(String bootstrapServers, Duration timeout, Exception cause) {
        return new SandboxStartupException(
                "the broker at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s", cause);
    }
}
