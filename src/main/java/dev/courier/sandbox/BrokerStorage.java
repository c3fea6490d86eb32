package dev.courier.sandbox;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats the broker's log directory the way {@code kafka-storage.sh format} does: a new random
 * cluster id, the latest production metadata version and features, and the static controller
 * quorum from the broker's configuration. A directory that is already formatted is left as it
 * is, so its topics and offsets survive a restart. (Kafka's own {@code --ignore-formatted} is not
 * enough for that: it still insists that the existing cluster id equals the new one.)
 */
final class BrokerStorage {

    private BrokerStorage() {}

    /**
     * Formats {@code logDir} unless it already holds a formatted Kafka log directory.
     *
     * @throws SandboxStartupException if the directory cannot be formatted, for example because
     *     it belongs to another cluster or another node
     */
    static void formatUnlessFormatted(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setUnstableFeatureVersionsEnabled(false)
                .setControllerListenerName(BrokerSettings.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(logDir.toString()));
        try {
            formatter.run();
        } catch (Exception e) {
            throw new SandboxStartupException("cannot format the Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
    }
}
