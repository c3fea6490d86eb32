package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private final Properties settings = BrokerSettings.of(9092, 9093, Path.of("/tmp/kafka"), Duration.ofSeconds(60));

    @Test
    void everySettingIsOneKafkaKnows() {
        assertThat(KafkaConfig.configDef().names()).containsAll(settings.stringPropertyNames());
    }

    @Test
    void kafkaAcceptsTheSettingsAsACombinedNodeOnLoopback() {
        KafkaConfig config = new KafkaConfig(settings, false);

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(settings.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(settings.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
        assertThat(settings.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
        assertThat(config.metadataLogDir()).isEqualTo("/tmp/kafka");
    }

    @Test
    void internalTopicsHaveOneReplicaAndTopicsAreNotCreatedOnFirstUse() {
        assertThat(settings)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }
}
