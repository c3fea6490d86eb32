package dev.courier.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the warnings the embedded Kafka broker (and Kafka Streams) logs on every normal start and stop, which say
 * nothing wrong happened but look as if it did. Referenced from {@code logback.xml}.
 */
public final class KnownNoise extends TurboFilter {

    private static final List<String> HARMLESS = List.of(
            "Attempting to close NetworkClient that has already been closed",
            // logged by every StreamsConfig, the one Kafka Streams makes for a topology included, whatever it is set to
            "Processing exception handler is not enabled for the GlobalThread");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && level == Level.WARN && logger.getName().startsWith("org.apache.kafka")) {
            for (String harmless : HARMLESS) {
                if (format.contains(harmless)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
