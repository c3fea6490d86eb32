package dev.courier.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The server properties of the sandbox broker: one KRaft node (id {@value #NODE_ID}) in the
 * combined broker and controller roles, listening on 127.0.0.1 only, sized for a laptop and for
 * fast tests. Internal topics have one replica, so transactions and consumer groups work on a
 * single node; topics are not created on first use, so a mistyped topic name fails visibly.
 */
final class BrokerSettings {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerSettings() {}

    /**
     * @param brokerPort the resolved (non-zero) port of the client listener
     * @param controllerPort the resolved (non-zero) port of the KRaft controller listener
     * @param logDir the data and metadata log directory
     * @param startupTimeout the broker's own bound on {@code startup()}
     */
    static Properties of(int brokerPort, int controllerPort, Path logDir, Duration startupTimeout) {
        String host = LoopbackPorts.HOST;
        Map<String, Object> settings = new TreeMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", NODE_ID);
        settings.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        settings.put("inter.broker.listener.name", BROKER_LISTENER);
        settings.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort
                + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        settings.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        settings.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        settings.put("log.dirs", logDir.toString());
        settings.put("metadata.log.dir", logDir.toString());
        settings.put("server.max.startup.time.ms", startupTimeout.toMillis());

        // One node: every topic, internal ones included, has one replica.
        settings.put("auto.create.topics.enable", false);
        settings.put("num.partitions", 1);
        settings.put("default.replication.factor", 1);
        settings.put("min.insync.replicas", 1);
        settings.put("offsets.topic.replication.factor", 1);
        settings.put("offsets.topic.num.partitions", 1);
        settings.put("transaction.state.log.replication.factor", 1);
        settings.put("transaction.state.log.min.isr", 1);
        settings.put("transaction.state.log.num.partitions", 1);
        settings.put("share.coordinator.state.topic.replication.factor", 1);
        settings.put("share.coordinator.state.topic.min.isr", 1);
        settings.put("share.coordinator.state.topic.num.partitions", 1);

        // Fast tests: no rebalance grace period, quick heartbeats so shutdown is prompt.
        settings.put("group.initial.rebalance.delay.ms", 0);
        settings.put("broker.heartbeat.interval.ms", 500);
        // A transaction past its timeout is aborted within a second of it, not up to ten seconds later.
        settings.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1000);

        // Laptop-sized: few threads, small segments, a small cleaner buffer (default 128 MiB).
        settings.put("num.network.threads", 2);
        settings.put("num.io.threads", 2);
        settings.put("background.threads", 2);
        settings.put("num.recovery.threads.per.data.dir", 1);
        settings.put("log.cleaner.threads", 1);
        settings.put("log.cleaner.dedupe.buffer.size", 2 * 1024 * 1024);
        settings.put("log.segment.bytes", 16 * 1024 * 1024);

        Properties properties = new Properties();
        settings.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        return properties;
    }
}
