package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.TemplateCommand;
import dev.courier.config.Settings;
import dev.courier.testkit.MarkdownBlocks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HeldCertificate;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * helm/courier's ways around what it does not model and its optional parts: Kafka authentication beyond PLAIN and
 * SCRAM (OAUTHBEARER, a client certificate), {@code extraEnv}, {@code envFrom}, {@code extraVolumes} and
 * {@code extraVolumeMounts}, the PrometheusRule of the operations page's example alerts, and the topic-creation Job.
 * Where a setting reaches the Kafka client, the client itself is built from what the chart renders.
 */
@Timeout(120)
class HelmChartOptionsTest {

    private static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    @TempDir
    Path mounts;

    @Test
    void oauthBearerLogsInToKafkaWithTheClientCredentialsOfTheSecretAtTheTokenEndpoint() throws Exception {
        try (MockWebServer identityProvider = new MockWebServer()) {
            identityProvider.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body("{\"access_token\":\"" + jwt() + "\",\"token_type\":\"bearer\",\"expires_in\":3600}").build());
            identityProvider.start(InetAddress.getByName("127.0.0.1"), 0);
            String tokenUrl = identityProvider.url("/oauth2/token").toString();
            String broker = "127.0.0.1:" + closedPort();
            RenderedChart chart = RenderedChart.render(c -> c.set("kafka.securityProtocol", "SASL_PLAINTEXT")
                    .set("kafka.bootstrapServers", broker)
                    .set("kafka.sasl.mechanism", "OAUTHBEARER").set("kafka.sasl.existingSecret", "kafka-oauth")
                    .set("kafka.sasl.oauthbearer.tokenEndpointUrl", tokenUrl)
                    .set("kafka.sasl.oauthbearer.scope", "kafka"));
            Settings settings = RenderedChart.settings(chart.properties(), chart.container(), "courier-0", mounts);
            Map<String, String> kafka = settings.kafka().clientProperties();

            assertThat(kafka).containsEntry("sasl.mechanism", "OAUTHBEARER")
                    .containsEntry("sasl.oauthbearer.token.endpoint.url", tokenUrl)
                    .containsEntry("sasl.oauthbearer.client.credentials.client.id", "from-secret-kafka-oauth-client-id")
                    .containsEntry("sasl.oauthbearer.client.credentials.client.secret",
                            "from-secret-kafka-oauth-client-secret");
            assertThat(chart.env().get("COURIER_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET"))
                    .doesNotContainKey("value");
            String allowed = systemProperty(chart.environmentOf("courier-0").get("JAVA_TOOL_OPTIONS"), ALLOWED_URLS);
            assertThat(allowed).isEqualTo(tokenUrl);

            // the Kafka client logs in when it is built: it asks the token endpoint, as Courier's clients will
            String before = System.getProperty(ALLOWED_URLS);
            System.setProperty(ALLOWED_URLS, allowed);
            try (Admin admin = Admin.create(new HashMap<>(kafka))) {
                RecordedRequest request = identityProvider.takeRequest(10, TimeUnit.SECONDS);
                assertThat(request).as("a token request").isNotNull();
                assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                        .encodeToString("from-secret-kafka-oauth-client-id:from-secret-kafka-oauth-client-secret"
                                .getBytes(StandardCharsets.UTF_8)));
                assertThat(request.getBody().utf8()).contains("grant_type=client_credentials").contains("scope=kafka");
                admin.close(Duration.ZERO);
            } finally {
                if (before == null) {
                    System.clearProperty(ALLOWED_URLS);
                } else {
                    System.setProperty(ALLOWED_URLS, before);
                }
            }
        }
    }

    @Test
    void oauthBearerWithoutATokenEndpointIsRefused() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("kafka.securityProtocol", "SASL_SSL")
                .set("kafka.sasl.mechanism", "OAUTHBEARER").set("kafka.sasl.existingSecret", "kafka-oauth")))
                .hasMessageContaining("OAUTHBEARER needs kafka.sasl.oauthbearer.tokenEndpointUrl");
    }

    @Test
    void aClientCertificateForMutualTlsIsMountedAndTheKafkaClientLoadsIt() throws Exception {
        String broker = "127.0.0.1:" + closedPort();
        RenderedChart chart = RenderedChart.render(c -> c.set("kafka.securityProtocol", "SSL")
                .set("kafka.bootstrapServers", broker)
                .set("kafka.tls.existingSecret", "kafka-tls").set("kafka.tls.truststoreKey", "")
                .set("kafka.tls.keystoreKey", "courier.p12"));
        Map<String, String> properties = chart.properties();
        String location = properties.get("kafka.ssl.keystore.location");
        Path keystore = Path.of(SettingsModel.relocate(location, RenderedChart.MOUNTS, mounts));
        char[] password = "from-secret-kafka-tls-keystore-password".toCharArray(); // what the Secret stands in for
        writeKeystore(keystore, password);

        Settings settings = RenderedChart.settings(properties, chart.container(), "courier-0", mounts);

        assertThat(location).isEqualTo("/etc/courier/kafka-tls/courier.p12");
        assertThat(properties).doesNotContainKey("kafka.ssl.truststore.location");
        Object volume = Yaml.listAt(chart.podSpec(), "volumes").stream()
                .filter(v -> "kafka-tls".equals(Yaml.at(v, "name"))).findFirst().orElseThrow();
        List<Object> items = Yaml.listAt(volume, "secret.items");
        assertThat(items).containsExactly(Map.of("key", "courier.p12", "path", "courier.p12"));
        assertThat(settings.kafka().clientProperties()).containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("security.protocol", "SSL");
        try (Admin admin = Admin.create(new HashMap<>(settings.kafka().clientProperties()))) {
            admin.close(Duration.ZERO); // built: the keystore opened with the Secret's password
        }
        writeKeystore(keystore, "another password".toCharArray());
        assertThatThrownBy(() -> Admin.create(new HashMap<>(settings.kafka().clientProperties())))
                .as("a keystore the password does not open").hasStackTraceContaining("keystore");
    }

    @Test
    void aClientCertificateWithoutTlsIsRefused() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("kafka.tls.existingSecret", "kafka-tls")
                .set("kafka.tls.keystoreKey", "courier.p12")))
                .hasMessageContaining("kafka.tls.keystoreKey is set but kafka.securityProtocol is PLAINTEXT");
    }

    @Test
    void extraEnvironmentVariablesAndVolumesReachCouriersContainer() {
        RenderedChart chart = RenderedChart.allFeatures();
        Map<String, Object> container = chart.container();

        assertThat(chart.env()).containsKeys("CRM_CLIENT_SECRET", "TZ");
        assertThat(Yaml.at(chart.env().get("CRM_CLIENT_SECRET"), "valueFrom.secretKeyRef.name")).isEqualTo("crm-oauth2");
        assertThat(Yaml.listAt(container, "envFrom")).containsExactly(Map.of("configMapRef",
                Map.of("name", "courier-extra-settings")));
        assertThat(Yaml.listAt(container, "volumeMounts")).contains(Map.of("name", "extra-ca", "mountPath",
                "/etc/courier/extra-ca", "readOnly", true));
        assertThat(Yaml.listAt(chart.podSpec(), "volumes")).contains(Map.of("name", "extra-ca", "secret",
                Map.of("secretName", "extra-ca-bundle")));
        assertThat(chart.environmentOf("courier-0").get("JAVA_TOOL_OPTIONS")).isEqualTo("-Xss512k");
    }

    @Test
    void extraEnvMayNotSetAVariableTheChartSets() {
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("extraEnv[0].name", "JAVA_TOOL_OPTIONS")
                .set("extraEnv[0].value", "-Xmx1g"))).hasMessageContaining("give JVM flags in javaToolOptions");
        assertThatThrownBy(() -> RenderedChart.renderText(c -> c.set("schemaRegistry.existingSecret", "registry")
                .set("extraEnv[0].name", "COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD").set("extraEnv[0].value", "x")))
                .hasMessageContaining("the chart sets COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD itself");
        assertThat(RenderedChart.render(c -> c.set("extraEnv[0].name", "COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD")
                .set("extraEnv[0].valueFrom.secretKeyRef.name", "registry")
                .set("extraEnv[0].valueFrom.secretKeyRef.key", "password")).env())
                .as("a variable the chart does not set this time is the user's")
                .containsKey("COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD");
    }

    @Test
    void everyVariableTheChartSetsIsOneExtraEnvMayNotRepeat() {
        List<UnaryOperator<TemplateCommand>> renders = List.of(c -> c.withValuesFile(RenderedChart.ALL_FEATURES),
                c -> c.set("kafka.securityProtocol", "SASL_SSL").set("kafka.sasl.mechanism", "OAUTHBEARER")
                        .set("kafka.sasl.existingSecret", "kafka-oauth")
                        .set("kafka.sasl.oauthbearer.tokenEndpointUrl", "https://login.example.com/token")
                        .set("kafka.tls.existingSecret", "kafka-tls").set("kafka.tls.keystoreKey", "k.p12")
                        .set("kafka.tls.keyPasswordKey", "key-password"));

        for (UnaryOperator<TemplateCommand> render : renders) {
            RenderedChart chart = RenderedChart.render(render);
            List<String> own = chart.env().keySet().stream()
                    .filter(name -> !List.of("CRM_CLIENT_SECRET", "TZ").contains(name)).toList();
            assertThat(own).hasSizeGreaterThan(5);
            for (String name : own) {
                assertThatThrownBy(() -> RenderedChart.renderText(c -> render.apply(c).set("extraEnv[0].name", name)
                        .set("extraEnv[0].value", "x").set("extraEnv[1].name", "TZ").set("extraEnv[1].value", "UTC")))
                        .as("extraEnv setting %s", name).hasMessageContaining("the chart sets " + name + " itself");
            }
        }
    }

    @Test
    void kerberosGoesThroughExtraEnvExtraVolumesAndSettings() throws Exception {
        Path values = Files.writeString(mounts.resolve("gssapi.yaml"), """
                kafka:
                  bootstrapServers: broker-0.kafka:9093
                  securityProtocol: PLAINTEXT
                extraEnv:
                  - name: COURIER_KAFKA_SECURITY_PROTOCOL
                    value: SASL_SSL
                  - name: COURIER_KAFKA_SASL_MECHANISM
                    value: GSSAPI
                  - name: COURIER_KAFKA_SASL_JAAS_CONFIG
                    valueFrom:
                      secretKeyRef: {name: kafka-kerberos, key: jaas.conf}
                extraVolumes:
                  - name: keytab
                    secret: {secretName: kafka-kerberos}
                extraVolumeMounts:
                  - name: keytab
                    mountPath: /etc/courier/kerberos
                    readOnly: true
                javaToolOptions: -Djava.security.krb5.conf=/etc/courier/kerberos/krb5.conf
                settings:
                  kafka.sasl.kerberos.service.name: kafka
                """);
        RenderedChart chart = RenderedChart.render(c -> c.withValuesFile(values));

        Settings settings = RenderedChart.settings(chart.properties(), chart.container(), "courier-0", mounts);

        assertThat(settings.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "GSSAPI")
                .containsEntry("sasl.jaas.config", "from-secret-kafka-kerberos-jaas.conf")
                .containsEntry("sasl.kerberos.service.name", "kafka");
        assertThat(chart.environmentOf("courier-0").get("JAVA_TOOL_OPTIONS"))
                .isEqualTo("-Djava.security.krb5.conf=/etc/courier/kerberos/krb5.conf");
    }

    @Test
    void thePrometheusRuleHoldsTheExampleAlertsOfTheOperationsPage() {
        Map<String, Object> rule = RenderedChart.allFeatures().one("PrometheusRule", RenderedChart.RELEASE);
        List<Object> rules = Yaml.listAt(Yaml.listAt(rule, "spec.groups").get(0), "rules");
        Map<String, Map<String, Object>> rendered = new LinkedHashMap<>();
        rules.forEach(r -> rendered.put((String) Yaml.at(r, "alert"), Yaml.map(r, "rule")));
        MarkdownBlocks.Block block = MarkdownBlocks.of(Path.of("docs", "operations.md")).in("Example alerts", "yaml", 0);
        List<Object> documented = Yaml.list(new Load(LoadSettings.builder().build()).loadFromString(block.text()),
                "the example alerts");

        assertThat(Yaml.at(rule, "metadata.labels.release")).isEqualTo("prometheus");
        assertThat(rendered.keySet()).containsExactlyElementsOf(documented.stream()
                .map(alert -> (String) Yaml.at(alert, "alert")).toList());
        for (Object alert : documented) {
            String name = (String) Yaml.at(alert, "alert");
            Map<String, Object> chartRule = rendered.get(name);
            String expression = ((String) chartRule.get("expr")).replace("namespace=\"" + RenderedChart.NAMESPACE
                    + "\", ", "").replace("{namespace=\"" + RenderedChart.NAMESPACE + "\"}", "");
            assertThat(expression).as("%s, scoped to the release's namespace", name)
                    .isEqualTo(Yaml.at(alert, "expr"));
            assertThat(chartRule.get("for")).as(name).isEqualTo(Yaml.at(alert, "for"));
            assertThat(Yaml.at(chartRule, "labels.severity")).as(name).isEqualTo("warning");
        }
        assertThat(RenderedChart.defaults().has("PrometheusRule")).as("off by default").isFalse();
    }

    @Test
    void theTopicsJobRunsTopicsCreateBeforeInstallAndUpgradeWithThePodsSettingsAndCredentials(@TempDir Path scratch)
            throws IOException {
        RenderedChart chart = RenderedChart.renderWithHooks(scratch,
                command -> command.withValuesFile(RenderedChart.ALL_FEATURES.toAbsolutePath()));
        Map<String, Object> job = chart.one("Job", "courier-topics");
        Map<String, Object> configMap = chart.one("ConfigMap", "courier-topics");
        Map<String, Object> pod = Yaml.mapAt(job, "spec.template.spec");
        Map<String, Object> container = Yaml.map(Yaml.listAt(pod, "containers").get(0), "the Job's container");

        String hook = RenderedChart.RENAMED_HOOK;
        for (Map<String, Object> manifest : List.of(job, configMap)) {
            Map<String, Object> annotations = Yaml.mapAt(manifest, "metadata.annotations");
            assertThat(annotations).containsEntry(hook, "pre-install,pre-upgrade")
                    .containsEntry(hook + "-delete-policy", "before-hook-creation,hook-succeeded");
        }
        assertThat(Integer.parseInt((String) Yaml.mapAt(configMap, "metadata.annotations").get(hook + "-weight")))
                .as("the settings exist before the Job").isLessThan(Integer.parseInt(
                        (String) Yaml.mapAt(job, "metadata.annotations").get(hook + "-weight")));
        assertThat(RenderedChart.allFeatures().has("Job")).as("a hook: not among the release's own manifests")
                .isFalse();
        assertThat(Yaml.listAt(container, "args")).containsExactly("topics", "create", "--config",
                "/etc/courier/config/courier.properties");
        assertThat(chart.properties("courier-topics")).isEqualTo(chart.properties());
        assertThat(Yaml.listAt(pod, "volumes")).anySatisfy(volume ->
                assertThat(Yaml.at(volume, "configMap.name")).isEqualTo("courier-topics"));
        assertThat(Yaml.listAt(container, "volumeMounts")).isEqualTo(Yaml.listAt(chart.container(), "volumeMounts"));
        assertThat(RenderedChart.env(container).keySet()).as("Kafka's and the registry's credentials, as the pods")
                .containsAll(List.of("KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "COURIER_KAFKA_SASL_JAAS_CONFIG",
                        "COURIER_KAFKA_SSL_TRUSTSTORE_PASSWORD", "COURIER_KAFKA_SSL_KEYSTORE_PASSWORD",
                        "COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD", "JAVA_TOOL_OPTIONS", "CRM_CLIENT_SECRET"))
                .doesNotContain("COURIER_COURIER_TRANSACTIONAL_ID", "COURIER_COURIER_STATUS_ADVERTISED_HOST");
        assertThat(pod).containsEntry("restartPolicy", "Never").containsEntry("automountServiceAccountToken", false)
                .as("the release's ServiceAccount does not exist yet when the hook runs")
                .doesNotContainKey("serviceAccountName");
        assertThat(Yaml.mapAt(job, "spec.template.metadata.labels")).as("no selector of the release's takes its pod")
                .doesNotContainEntry("app.kubernetes.io/name", "courier");
        assertThat(Yaml.at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Yaml.at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);

        Settings settings = RenderedChart.settings(chart.properties("courier-topics"), container, "courier-topics-x",
                mounts);
        assertThat(settings.topics().partitions()).isEqualTo(12);
        assertThat(settings.kafka().clientProperties()).containsEntry("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"from-secret-kafka-credentials-username\""
                        + " password=\"from-secret-kafka-credentials-password\";");
        assertThat(RenderedChart.renderWithHooks(scratch.resolve("defaults"), command -> command).has("Job"))
                .as("off by default").isFalse();
    }

    /** A JSON Web Token as an identity provider issues it (the client reads its claims; brokers check signatures). */
    private static String jwt() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString(("{\"sub\":\"courier\",\"scope\":\"kafka\",\"iat\":" + now + ",\"exp\":"
                + (now + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + url.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
    }

    /** A PKCS#12 keystore holding a client certificate and its key, under {@code password}. */
    private static void writeKeystore(Path file, char[] password) throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().commonName("courier").build();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        keystore.setKeyEntry("courier", certificate.keyPair().getPrivate(), password,
                new Certificate[] {certificate.certificate()});
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            keystore.store(out, password);
        }
    }

    /** The value of {@code -Dname=value} in JVM flags. */
    private static String systemProperty(String flags, String name) {
        Properties found = new Properties();
        for (String flag : flags.split("\\s+")) {
            if (flag.startsWith("-D") && flag.contains("=")) {
                found.put(flag.substring(2, flag.indexOf('=')), flag.substring(flag.indexOf('=') + 1));
            }
        }
        return found.getProperty(name);
    }

    /** A port of 127.0.0.1 where nothing listens: the clients built here never reach a broker. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
