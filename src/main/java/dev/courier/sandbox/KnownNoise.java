package dev.courier.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the warnings the embedded Kafka broker (and the status view's first start) logs on every normal start and stop, which say nothing
 * wrong happened but look as if it did. Referenced from {@code logback.xml}.
 */
public final class KnownNoise extends TurboFilter {

    private static final List<String> HARMLESS = List.of(
            "Attempting to close NetworkClient that has already been closed",
            // logged by every StreamsConfig, the one Kafka Streams makes for a topology included, whatever it is set to
            "Processing exception handler is not enabled for the GlobalThread");
    /**
     * The status view's consumer asks for its repartition topic while Kafka Streams is still creating it, at the
     * first start of a group (the warning names the topic, so only this case is dropped).
     */
    private static final String RECOVERABLE_METADATA = "reported a recoverable issue";
    private static final String REPARTITION_BEING_MADE = "-repartition=UNKNOWN_TOPIC_OR_PARTITION";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && level == Level.WARN && logger.getName().startsWith("org.apache.kafka")) {
            if (format.contains(RECOVERABLE_METADATA) && (format.contains(REPARTITION_BEING_MADE)
                    || (params != null && params.length > 0
                            && String.valueOf(params[params.length - 1]).contains(REPARTITION_BEING_MADE)))) {
                return FilterReply.DENY;
            }
            for (String harmless : HARMLESS) {
                if (format.contains(harmless)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
