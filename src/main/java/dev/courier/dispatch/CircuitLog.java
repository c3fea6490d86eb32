package dev.courier.dispatch;

import dev.courier.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at WARN when a host's circuit opens (not again at each failed probe) and when it closes, with how many events
 * wait for it: while it is open those events keep their attempts and get no outcome, so the operator must hear of
 * it. Dispatch thread.
 */
final class CircuitLog implements HostFeedback.CircuitListener {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitLog.class);

    @Override
    public void opened(String host, int failed, int counted, Duration probeIn, int waiting) {
        LOG.warn("The circuit of {} opened: {} of its last {} calls failed. Its events wait without using attempts"
                + " ({} waiting now) until probes succeed; the first probe goes in {}", host, failed, counted, waiting,
                Durations.format(probeIn));
    }

    @Override
    public void closed(String host, Duration openFor, int waiting) {
        LOG.warn("The circuit of {} closed after {}: its probes succeeded, and its {} waiting events go on", host,
                Durations.format(openFor), waiting);
    }
}
