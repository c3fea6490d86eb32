package dev.courier.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Folds the Kafka clients' warning "Connection to node -1 (/127.0.0.1:1) could not be established", which they
 * repeat at every reconnect attempt (about once a second), into one line per address every
 * {@value #INTERVAL_SECONDS} seconds: "Waiting for Kafka at 127.0.0.1:1 (5 s of 15 s)", where 15 s is how long the
 * command waits before it gives up with its own clear error ({@link #expectAnswerWithin}). A wait ends when the
 * address has had no such warning for {@value #QUIET_SECONDS} seconds; the next one starts a new wait. Referenced
 * from {@code logback.xml}.
 *
 * <p>Thread-safe: Logback calls {@link #decide} from every thread that logs.
 */
public final class ConnectionWarnings extends TurboFilter {

    static final int INTERVAL_SECONDS = 5;
    static final int QUIET_SECONDS = 5;
    private static final int MAX_ADDRESSES = 64;
    private static final String KAFKA_NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    private static final Pattern NOT_ESTABLISHED = Pattern.compile(
            "Connection to node \\S+ \\(([^)]*)\\) could not be established\\. Node may not be available\\.$");
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ConnectionWarnings.class);

    /** How long the running command waits for Kafka to answer; null when it rides out an outage instead. */
    private static volatile Duration patience;

    private final LongSupplier nanoTime;
    private final Map<String, Wait> waits = new LinkedHashMap<>();

    public ConnectionWarnings() {
        this(System::nanoTime);
    }

    ConnectionWarnings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The command gives up when Kafka has not answered within {@code timeout}; the folded lines say so. */
    static void expectAnswerWithin(Duration timeout) {
        patience = timeout;
    }

    /** The command no longer gives up (the engine is running and rides out an outage). */
    static void noDeadline() {
        patience = null;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !logger.getName().equals(KAFKA_NETWORK_CLIENT)) {
            return FilterReply.NEUTRAL;
        }
        // Kafka's LogContext formats the message itself; other callers may pass the pattern and its arguments
        Matcher refused = NOT_ESTABLISHED.matcher(format);
        if (!refused.find()) {
            return FilterReply.NEUTRAL;
        }
        Object address = refused.group(1).equals("{}") && params != null && params.length >= 2 ? params[1]
                : refused.group(1);
        String line = fold(address(address));
        if (line != null) {
            LOG.warn(line);
        }
        return FilterReply.DENY;
    }

    /** The line to log for one more warning about {@code address} now, or null when this one is folded away. */
    String fold(String address) {
        long now = nanoTime.getAsLong();
        Duration timeout = patience;
        synchronized (waits) {
            Wait wait = waits.get(address);
            if (wait == null || now - wait.lastWarning > Duration.ofSeconds(QUIET_SECONDS).toNanos()) {
                if (waits.size() >= MAX_ADDRESSES) {
                    waits.remove(waits.keySet().iterator().next());
                }
                wait = new Wait(now);
                waits.put(address, wait);
            }
            wait.lastWarning = now;
            if (wait.lastLine != Long.MIN_VALUE
                    && now - wait.lastLine < Duration.ofSeconds(INTERVAL_SECONDS).toNanos()) {
                return null;
            }
            wait.lastLine = now;
            long waited = Duration.ofNanos(now - wait.started).toSeconds();
            String bound = timeout != null && waited <= timeout.toSeconds() ? " of " + timeout.toSeconds() + " s" : "";
            return "Waiting for Kafka at " + address + " (" + waited + " s" + bound + ")";
        }
    }

    /** {@code 127.0.0.1:9092} from the client's {@code /127.0.0.1:9092} or {@code broker/10.0.0.5:9092}. */
    static String address(Object param) {
        if (param instanceof InetSocketAddress socket) {
            return socket.getHostString() + ":" + socket.getPort();
        }
        String text = String.valueOf(param);
        int slash = text.indexOf('/');
        return slash < 0 ? text : slash == 0 ? text.substring(1) : text.substring(0, slash) + text.substring(
                text.lastIndexOf(':'));
    }

    private static final class Wait {
        final long started;
        long lastWarning;
        long lastLine = Long.MIN_VALUE;

        Wait(long started) {
            this.started = started;
        }
    }
}
