package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.courier.config.Settings;
import dev.courier.engine.RunContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * helm/courier, linted and rendered by helm itself (helm-java bundles it), with the default values and with every
 * optional feature on ({@code src/test/resources/deploy/all-features.yaml}), and the rendered manifests checked
 * against what Courier is: its settings model, its admin server, its shutdown bound.
 */
class HelmChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path mounts;

    static Stream<Arguments> renders() {
        return Stream.of(Arguments.of("default values", (UnaryOperator<TemplateCommand>) c -> c),
                Arguments.of("every feature on", (UnaryOperator<TemplateCommand>) c -> c.withValuesFile(
                        RenderedChart.ALL_FEATURES)));
    }

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Test
    void theDefaultValuesPassTheSchemaAndEveryOptionalFeatureCanBeRendered() {
        RenderedChart defaults = RenderedChart.defaults();
        RenderedChart all = RenderedChart.allFeatures();

        assertThat(kinds(defaults)).containsExactlyInAnyOrder("ConfigMap", "Deployment", "PodDisruptionBudget",
                "Service", "ServiceAccount", "NetworkPolicy");
        assertThat(kinds(all)).containsExactlyInAnyOrder("ConfigMap", "ConfigMap", "StatefulSet",
                "PodDisruptionBudget", "Service", "Service", "ServiceAccount", "ServiceMonitor", "PrometheusRule",
                "ScaledObject", "NetworkPolicy");
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of("replicaCount", "two", "/replicaCount"),
                Arguments.of("delivery.guarantee", "exactly-twice", "/delivery/guarantee"),
                Arguments.of("workload.kind", "DaemonSet", "/workload/kind"),
                Arguments.of("topics.partitions", "0", "/topics/partitions"),
                Arguments.of("shutdown.drainTimeoutSeconds", "601", "/shutdown/drainTimeoutSeconds"),
                Arguments.of("log.format", "xml", "/log/format"),
                Arguments.of("securityContext.readOnlyRootFilesystem", "false", "/securityContext/readOnlyRootFilesystem"),
                Arguments.of("schemaRegistry.password", "hunter2", "password"),
                Arguments.of("settings.courier\\.workers", "64", "/settings/courier.workers"),
                Arguments.of("kafka.sasl.mechanism", "GSSAPI", "/kafka/sasl/mechanism"),
                Arguments.of("prometheusRule.deadLetterRatio", "2", "/prometheusRule/deadLetterRatio"),
                Arguments.of("topicsJob.enabled", "sometimes", "/topicsJob/enabled"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("wrongValues")
    void aValueOfTheWrongTypeOrRangeIsRefusedByTheSchema(String key, String value, String named) {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set(key, value)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void theProbesAskTheAdminServersHealthPathsOnThePortCourierListensOn(String name,
            UnaryOperator<TemplateCommand> values) {
        RenderedChart chart = RenderedChart.render(values);
        Map<String, Object> container = chart.container();
        String adminPort = chart.properties().get("courier.admin.port");
        Map<String, Object> port = Yaml.map(Yaml.listAt(container, "ports").get(0), "port");

        assertThat(port).containsEntry("name", "admin").containsEntry("containerPort", Integer.parseInt(adminPort));
        assertThat(Yaml.at(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
        assertThat(Yaml.at(container, "startupProbe.httpGet.path")).isEqualTo("/health/live");
        assertThat(Yaml.at(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(Yaml.at(container, probe + ".httpGet.port")).as(probe).isEqualTo("admin");
        }
        Map<String, Object> service = chart.one("Service", RenderedChart.RELEASE);
        assertThat(Yaml.map(Yaml.listAt(service, "spec.ports").get(0), "service port"))
                .containsEntry("targetPort", "admin").containsEntry("port", Integer.parseInt(adminPort));
        for (Map<String, Object> monitor : chart.all("ServiceMonitor")) {
            Map<String, Object> endpoint = Yaml.map(Yaml.listAt(monitor, "spec.endpoints").get(0), "endpoint");
            assertThat(endpoint).containsEntry("port", "admin").containsEntry("path", "/metrics");
            assertThat(Yaml.at(endpoint, "bearerTokenSecret.name")).isEqualTo("courier-admin-token");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyKeyOfTheConfigMapIsACourierSettingAndCourierRunWouldStartWithThem(String name,
            UnaryOperator<TemplateCommand> values) throws IOException {
        RenderedChart chart = RenderedChart.render(values);

        assertThat(chart.properties().keySet()).allSatisfy(key ->
                assertThat(SettingsModel.isSetting(key)).as("%s is a Courier setting", key).isTrue());
        Settings settings = load(chart, RenderedChart.RELEASE + "-0");
        RunContract.checkAtStart(settings);
        assertThat(settings.topics().requests()).isEqualTo(chart.properties().get("courier.topics.requests"));
    }

    @Test
    void theSettingsOfEveryFeatureReachCourier() throws IOException {
        RenderedChart chart = RenderedChart.allFeatures();

        Settings settings = load(chart, "courier-1");

        assertThat(settings.delivery().exactlyOnce()).isTrue();
        assertThat(settings.kafka().clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("max.poll.records", "250")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"from-secret-kafka-credentials-username\""
                        + " password=\"from-secret-kafka-credentials-password\";")
                .containsEntry("ssl.truststore.password", "from-secret-kafka-truststore-truststore-password")
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.keystore.password", "from-secret-kafka-truststore-keystore-password");
        assertThat(settings.kafka().clientProperties().get("ssl.keystore.location")).endsWith("/kafka-tls/keystore.p12");
        assertThat(settings.registry().credentials()).hasValueSatisfying(auth -> {
            assertThat(auth.username()).isEqualTo("courier");
            assertThat(auth.password().value()).isEqualTo("from-secret-registry-credentials-password");
        });
        assertThat(settings.targets()).containsOnlyKeys("payments", "mail");
        assertThat(settings.target("payments").orElseThrow().hasOwnTls()).isTrue();
        assertThat(settings.dispatch().workers()).isEqualTo(128);
        assertThat(settings.topics().partitions()).isEqualTo(12);
    }

    @Test
    void secretsAreReferencesToExistingSecretsNeverValues() {
        RenderedChart chart = RenderedChart.allFeatures();

        assertThat(chart.has("Secret")).as("the chart creates no Secret").isFalse();
        chart.env().forEach((name, variable) -> {
            if (name.matches(".*(PASSWORD|TOKEN|SECRET|CREDENTIAL|USERNAME).*")) {
                assertThat(Yaml.at(variable, "valueFrom.secretKeyRef.name")).as(name).isNotNull();
                assertThat(variable).as(name).doesNotContainKey("value");
            }
            Object value = variable.get("value");
            if (value != null) {
                assertThat(value.toString()).as("a literal holds no credential: %s", name)
                        .doesNotContainIgnoringCase("from-secret").doesNotContain("hunter");
            }
        });
        assertThat(chart.env().get("COURIER_KAFKA_SASL_JAAS_CONFIG").get("value").toString())
                .contains("username=\"$(KAFKA_SASL_USERNAME)\"").contains("password=\"$(KAFKA_SASL_PASSWORD)\"");
        chart.properties().forEach((key, value) -> {
            if (key.matches(".*(password|token|auth-secret|jaas.*)")) {
                assertThat(value).as(key).matches("\\$\\{(env|file):[^}]+}");
            }
        });
        List<Object> volumes = Yaml.listAt(chart.podSpec(), "volumes");
        assertThat(volumes.stream().map(v -> Yaml.at(v, "secret.secretName")).filter(java.util.Objects::nonNull))
                .containsExactlyInAnyOrder("kafka-truststore", "courier-admin-token", "payments-credentials",
                        "mail-credentials", "extra-ca-bundle");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void thePodRunsAsANonRootUserOnAReadOnlyRootFilesystemWithoutPrivileges(String name,
            UnaryOperator<TemplateCommand> values) {
        RenderedChart chart = RenderedChart.render(values);
        Map<String, Object> pod = chart.podSpec();
        Map<String, Object> container = chart.container();

        assertThat(Yaml.at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) Yaml.at(pod, "securityContext.runAsUser")).isPositive();
        assertThat(Yaml.at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(Yaml.at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Yaml.at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(Yaml.at(container, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(Yaml.listAt(container, "securityContext.capabilities.drop")).containsExactly("ALL");
        assertThat(pod).containsEntry("automountServiceAccountToken", false);
        assertThat(Yaml.listAt(container, "volumeMounts")).anySatisfy(mount ->
                assertThat(Yaml.map(mount, "mount")).containsEntry("name", "tmp").containsEntry("mountPath", "/tmp"));
        assertThat(Yaml.listAt(pod, "volumes")).anySatisfy(volume ->
                assertThat(Yaml.at(volume, "emptyDir")).isNotNull());
        assertThat(Yaml.at(container, "resources.limits.memory")).isNotNull();
    }

    @Test
    void aChangeOfSettingsChangesTheChecksumThatRollsThePods() {
        String before = checksum(RenderedChart.defaults());

        assertThat(checksum(RenderedChart.defaults())).isEqualTo(before);
        assertThat(checksum(RenderedChart.render(c -> c.withValuesFile(values("settings:\n  courier.max-in-flight: \"500\"\n")))))
                .isNotEqualTo(before);
        assertThat(checksum(RenderedChart.render(c -> c.set("shutdown.drainTimeoutSeconds", "20"))))
                .isNotEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void theGracePeriodCoversCouriersWorstCaseShutdownFromTheDrainTimeout(String name,
            UnaryOperator<TemplateCommand> values) throws IOException {
        RenderedChart chart = RenderedChart.render(values);
        Settings settings = load(chart, "courier-0");
        long bound = RunContract.shutdownBound(settings).toSeconds();

        assertThat(chart.podSpec().get("terminationGracePeriodSeconds")).isEqualTo((int) bound + 2);
    }

    @Test
    void theDefaultGracePeriodIsKubernetesOwnThirtySeconds() {
        assertThat(RenderedChart.defaults().podSpec().get("terminationGracePeriodSeconds")).isEqualTo(30);
    }

    @Test
    void statefulSetModeGivesEachPodAStableDistinctTransactionalId() throws IOException {
        RenderedChart chart = RenderedChart.allFeatures();
        Map<String, Object> statefulSet = chart.one("StatefulSet", RenderedChart.RELEASE);

        assertThat(Yaml.at(statefulSet, "spec.serviceName")).isEqualTo("courier-headless");
        assertThat(Yaml.at(chart.one("Service", "courier-headless"), "spec.clusterIP")).isEqualTo("None");
        String first = load(chart, "courier-0").delivery().transactionalId();
        String second = load(chart, "courier-1").delivery().transactionalId();
        assertThat(first).isEqualTo("courier.apps.courier-0");
        assertThat(second).isEqualTo("courier.apps.courier-1");
        assertThat(load(chart, "courier-0").delivery().transactionalId()).as("the same pod, restarted").isEqualTo(first);
        assertThat(RenderedChart.defaults().env()).doesNotContainKey("COURIER_COURIER_TRANSACTIONAL_ID");
    }

    @Test
    void eachPodAdvertisesItsOwnAddressForStatusQueriesForwardedByTheOthers() throws IOException {
        assertThat(load(RenderedChart.defaults(), "courier-0").status().advertisedHost())
                .isEqualTo(RenderedChart.POD_IP);
    }

    @Test
    void statusQueriesAreForwardedOnlyWithinThePodNetwork() throws IOException {
        Settings settings = load(RenderedChart.defaults(), "courier-0");

        assertThat(settings.status().peers()).isNotNull();
        for (String podAddress : List.of("10.244.1.7", "172.20.3.4", "192.168.5.6", "100.64.0.9", "fd00:10::5")) {
            assertThat(settings.status().peers().contains(java.net.InetAddress.getByName(podAddress))).as(podAddress)
                    .isTrue();
        }
        assertThat(settings.status().peers().contains(java.net.InetAddress.getByName("93.184.216.34"))).isFalse();
        Settings narrowed = load(RenderedChart.render(c -> c.set("status.peers", "10.244.0.0/16")), "courier-0");
        assertThat(narrowed.status().peers().contains(java.net.InetAddress.getByName("10.245.0.1"))).isFalse();
    }

    @Test
    void theAutoscalerScalesOnTheGroupsLagWithThePartitionCountAsCeiling() {
        RenderedChart chart = RenderedChart.allFeatures();
        Map<String, Object> scaled = chart.one("ScaledObject", RenderedChart.RELEASE);
        Map<String, String> settings = chart.properties();
        Map<String, Object> trigger = Yaml.map(Yaml.listAt(scaled, "spec.triggers").get(0), "trigger");

        assertThat(trigger).containsEntry("type", "kafka");
        assertThat(Yaml.mapAt(trigger, "metadata"))
                .containsEntry("topic", settings.get("courier.topics.requests"))
                .containsEntry("consumerGroup", settings.get("courier.group-id"))
                .containsEntry("bootstrapServers", settings.get("kafka.bootstrap.servers"))
                .containsEntry("offsetResetPolicy", "earliest");
        assertThat(Yaml.at(scaled, "spec.maxReplicaCount"))
                .isEqualTo(Integer.parseInt(settings.get("courier.topics.partitions")));
        assertThat(Yaml.at(scaled, "spec.scaleTargetRef.kind")).isEqualTo("StatefulSet");
        assertThat(Yaml.at(scaled, "spec.scaleTargetRef.name")).isEqualTo(Yaml.at(chart.workload(), "metadata.name"));
        assertThat(Yaml.mapAt(chart.workload(), "spec")).as("KEDA owns the replica count").doesNotContainKey("replicas");
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("autoscaling.keda.enabled", "true")
                .set("autoscaling.keda.maxReplicas", "7")))
                .hasMessageContaining("autoscaling.keda.maxReplicas (7) exceeds topics.partitions (6)");
    }

    @Test
    void withoutATokenTheAdminServerIsAnonymousOnlyBehindTheNetworkPolicy() throws IOException {
        RenderedChart chart = RenderedChart.defaults();
        Settings settings = load(chart, "courier-0");

        assertThat(settings.ops().adminBind()).as("the kubelet probes the pod's address").isEqualTo("0.0.0.0");
        assertThat(settings.ops().adminToken()).isNull();
        assertThat(settings.ops().allowAnonymous()).isTrue();
        Map<String, Object> policy = chart.one("NetworkPolicy", RenderedChart.RELEASE);
        Map<String, Object> selector = Yaml.mapAt(policy, "spec.podSelector.matchLabels");
        assertThat(selector).containsEntry("app.kubernetes.io/name", "courier")
                .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE);
        assertThat(Yaml.listAt(policy, "spec.policyTypes")).containsExactly("Ingress");
        List<Object> ingress = Yaml.listAt(policy, "spec.ingress");
        assertThat(ingress).hasSize(1);
        Map<String, Object> rule = Yaml.map(ingress.get(0), "ingress rule");
        List<Object> from = Yaml.listAt(rule, "from");
        assertThat(from).as("the release's pods and Prometheus, nothing else").hasSize(2);
        assertThat(Yaml.at(Yaml.map(from.get(0), "peer"), "podSelector.matchLabels")).isEqualTo(selector);
        assertThat(Yaml.map(from.get(0), "peer")).doesNotContainKey("namespaceSelector");
        assertThat(Yaml.at(Yaml.map(from.get(1), "peer"), "podSelector.matchLabels"))
                .isEqualTo(Map.of("app.kubernetes.io/name", "prometheus"));
        assertThat(Yaml.map(from.get(1), "peer")).as("this namespace's Prometheus").doesNotContainKey(
                "namespaceSelector");
        assertThat(Yaml.listAt(rule, "ports")).containsExactly(Map.of("port", "admin", "protocol", "TCP"));
    }

    @Test
    void withATokenTheAdminServerIsNotAnonymousAndTheNetworkPolicyStays() throws IOException {
        RenderedChart chart = RenderedChart.allFeatures();
        Settings settings = load(chart, "courier-0");

        assertThat(settings.ops().adminBind()).isEqualTo("0.0.0.0");
        assertThat(settings.ops().adminToken()).isNotNull();
        assertThat(settings.ops().allowAnonymous()).isFalse();
        assertThat(chart.properties()).doesNotContainKey("courier.admin.allow-anonymous");
        assertThat(chart.has("NetworkPolicy")).isTrue();
    }

    @Test
    void anAnonymousAdminServerWithoutTheNetworkPolicyIsRefused() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("networkPolicy.enabled", "false")))
                .hasMessageContaining("admin.token.existingSecret is empty and networkPolicy.enabled is false");
        RenderedChart tokenOnly = RenderedChart.render(c -> c.set("networkPolicy.enabled", "false")
                .set("admin.token.existingSecret", "courier-admin-token"));
        assertThat(tokenOnly.has("NetworkPolicy")).isFalse();
    }

    @Test
    void prometheusInAnotherNamespaceIsLetInByItsNamespace() {
        RenderedChart chart = RenderedChart.render(c -> c.set(
                "networkPolicy.prometheus.namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name", "monitoring"));
        List<Object> from = Yaml.listAt(Yaml.map(Yaml.listAt(chart.one("NetworkPolicy", RenderedChart.RELEASE),
                "spec.ingress").get(0), "rule"), "from");

        assertThat(Yaml.at(Yaml.map(from.get(1), "peer"), "namespaceSelector.matchLabels"))
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void settingsTheChartSetsFromItsOwnValuesAreRefusedUnderSettings() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("settings.courier\\.shutdown\\.drain-timeout",
                "60s"))).hasMessageContaining("settings.courier.shutdown.drain-timeout: the chart sets");
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("settings.courier\\.transactional-id", "one")))
                .hasMessageContaining("settings.courier.transactional-id: the chart sets");
    }

    @Test
    void saslWithoutASecretOfCredentialsIsRefused() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("kafka.securityProtocol", "SASL_SSL")))
                .hasMessageContaining("needs kafka.sasl.existingSecret");
    }

    @Test
    void theGrafanaDashboardShipsForTheSidecarAndChartsWhatTheIssueAsks() throws IOException {
        Map<String, Object> configMap = RenderedChart.allFeatures().one("ConfigMap", "courier-dashboard");
        JsonNode shipped = JSON.readTree((String) Yaml.mapAt(configMap, "data").get("courier.json"));
        JsonNode file = JSON.readTree(RenderedChart.CHART.resolve("dashboards/courier.json").toFile());

        assertThat(Yaml.at(configMap, "metadata.labels.grafana_dashboard")).isEqualTo("1");
        assertThat(shipped).isEqualTo(file);
        List<String> queries = new ArrayList<>();
        file.findValues("expr").forEach(expr -> queries.add(expr.asText()));
        assertThat(String.join("\n", queries))
                .contains("courier_events_consumed_total")            // throughput
                .contains("sum by (kind, category) (rate(courier_outcomes_total") // outcomes by category
                .contains("courier_http_attempt_duration_seconds_bucket") // HTTP latency
                .contains("courier_consumer_lag")                     // lag
                .contains("courier_events_in_flight")                 // in flight
                .contains("courier_rate_limit_wait_seconds_count")    // rate-limit waits
                .contains("courier_host_rate_current");               // adaptive rates, by host
        assertThat(file.at("/templating/list/0/type").asText()).isEqualTo("datasource");
    }

    /** A values file holding {@code yaml}, in the test's temporary directory. */
    private Path values(String yaml) {
        try {
            return Files.writeString(Files.createTempFile(mounts, "values", ".yaml"), yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> kinds(RenderedChart chart) {
        return chart.manifests().stream().map(m -> (String) m.get("kind")).toList();
    }

    private static String checksum(RenderedChart chart) {
        return (String) Yaml.at(chart.workload(), "spec.template.metadata.annotations.checksum/config");
    }

    /**
     * The settings pod {@code podName} would run with: the ConfigMap's properties and the pod's environment, with the
     * files the chart mounts from Secrets stood in for by files under a temporary directory.
     */
    private Settings load(RenderedChart chart, String podName) throws IOException {
        return RenderedChart.settings(chart.properties(), chart.container(), podName, mounts);
    }
}
