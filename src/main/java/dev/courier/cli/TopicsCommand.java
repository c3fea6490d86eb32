package dev.courier.cli;

import dev.courier.config.Settings;
import dev.courier.config.TopicSettings;
import dev.courier.engine.KafkaClients;
import dev.courier.engine.KafkaTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code courier topics}: manages Courier's topics. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Manage Courier's topics.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** {@code courier topics create}: creates Courier's topics ({@link KafkaTopics#courierTopics}); safe to repeat. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {
                "Create the requests, results and dead-letter topics with the configured partitions and"
                        + " replication (courier.topics.*), and, unless courier.status.enabled=false, the status"
                        + " topic (courier.topics.status, compacted, kept for courier.status.retention). Topics that"
                        + " exist are left as they are, so running it again is fine.",
                "Results and dead letters are keyed like their request, so all three topics should have the same"
                        + " number of partitions."})
    static final class Create implements Callable<Integer> {

        private final Io io;

        @Mixin
        ConfigOptions config;

        Create(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            Settings settings = config.load(io);
            TopicSettings topics = settings.topics();
            List<NewTopic> wanted = KafkaTopics.courierTopics(settings);
            List<String> names = wanted.stream().map(NewTopic::name).toList();
            try (Admin admin = new KafkaClients(settings).admin("courier-topics")) {
                KafkaTopics cluster = new KafkaTopics(admin, settings);
                Map<String, org.apache.kafka.common.KafkaFuture<Void>> created = admin.createTopics(wanted).values();
                List<String> existing = new ArrayList<>();
                for (String name : names) {
                    try {
                        cluster.await(created.get(name));
                        io.out().println("created " + name + " (" + topics.partitions() + " partitions)");
                    } catch (TopicExistsException e) {
                        existing.add(name);
                    }
                }
                cluster.awaitVisible(names);
                cluster.partitions(existing).forEach((name, partitions) -> io.out().println("exists  " + name + " ("
                        + partitions + " partitions" + (partitions == topics.partitions()
                                ? ")"
                                : "; courier.topics.partitions is " + topics.partitions() + ", left unchanged)")));
            }
            return ExitCodes.OK;
        }
    }
}
