package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Settings;
import dev.courier.engine.RunContract;
import dev.courier.testkit.SandboxContainers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml against Courier's settings model and against itself: images, health checks, ports. */
class ComposeFileTest {

    private static final Pattern TARGET_VARIABLE = Pattern.compile("COURIER_COURIER_TARGETS_[A-Z0-9_]+_(BASE_URL|AUTH"
            + "|AUTH_SECRET|CA_FILE|CLIENT_CERT_FILE|CLIENT_KEY_FILE|CONNECT_TIMEOUT|CALL_TIMEOUT|MAX_ATTEMPTS|RATE)");
    private static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*");
    private static final Set<String> ONE_SHOTS = Set.of("topics");

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void everyCourierVariableIsARealSettingAndCourierRunWouldStartWithThem() {
        for (Map.Entry<String, Map<String, Object>> service : compose.courierServices().entrySet()) {
            Map<String, String> environment = ComposeFile.environment(service.getValue());
            assertThat(environment.keySet()).as("variables of %s", service.getKey())
                    .allSatisfy(variable -> assertThat(isSettingVariable(variable))
                            .as("%s names a Courier setting", variable).isTrue());

            Settings settings = SettingsModel.load(Map.of(), environment);
            RunContract.checkAtStart(settings);
        }
        assertThat(ComposeFile.environment(compose.service("courier"))).isNotEmpty();
    }

    @Test
    void everyImageIsPinnedToAVersionAndTheStackRunsWhatTheContainerTestsRun() {
        compose.services().forEach((name, service) -> {
            String image = (String) service.get("image");
            if (service.containsKey("build")) {
                assertThat(image).as(name).isEqualTo(ComposeFile.COURIER_IMAGE);
            } else {
                assertThat(image).as("the image of %s", name).matches(PINNED).doesNotEndWith(":latest");
            }
        });
        assertThat(compose.service("kafka").get("image")).isEqualTo(SandboxContainers.KAFKA_IMAGE.asCanonicalNameString());
        assertThat(compose.service("schema-registry").get("image"))
                .isEqualTo(SandboxContainers.SCHEMA_REGISTRY_IMAGE.asCanonicalNameString());
    }

    @Test
    void everyServiceHasAHealthCheckAndEveryDependencyWaitsForItsHealthOrItsEnd() {
        compose.services().forEach((name, service) -> {
            if (ONE_SHOTS.contains(name)) {
                assertThat(service.get("restart")).as(name).isEqualTo("no");
                assertThat(Yaml.at(service, "healthcheck.disable")).as(name).isEqualTo(true);
            } else {
                assertThat(ComposeFile.strings(Yaml.at(service, "healthcheck.test"))).as("health check of %s", name)
                        .isNotEmpty().first().isEqualTo("CMD");
            }
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                Yaml.map(dependsOn, name + ".depends_on").forEach((dependency, spec) -> {
                    assertThat(compose.services()).as("%s depends on %s", name, dependency).containsKey(dependency);
                    assertThat(Yaml.at(spec, "condition")).as("%s waits for %s", name, dependency)
                            .isEqualTo(ONE_SHOTS.contains(dependency) ? "service_completed_successfully"
                                    : "service_healthy");
                });
            }
        });
        assertThat(Yaml.mapAt(compose.service("courier"), "depends_on"))
                .containsKeys("kafka", "schema-registry", "topics", "demo-target");
        assertThat(ComposeFile.strings(compose.service("topics").get("command"))).containsExactly("topics", "create");
    }

    @Test
    void addressesPortsAndHealthChecksLineUpWithTheSettings() {
        Map<String, String> environment = ComposeFile.environment(compose.service("courier"));
        Settings settings = SettingsModel.load(Map.of(), environment);
        Map<String, String> kafka = ComposeFile.environment(compose.service("kafka"));

        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + settings.kafka().bootstrapServers());
        assertThat(ComposeFile.environment(compose.service("schema-registry")))
                .containsEntry("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS",
                        "PLAINTEXT://" + settings.kafka().bootstrapServers());
        URI registry = settings.registry().url();
        assertThat(registry.getHost()).isEqualTo("schema-registry");
        assertThat(ComposeFile.environment(compose.service("schema-registry")).get("SCHEMA_REGISTRY_LISTENERS"))
                .endsWith(":" + registry.getPort());

        URI demo = settings.targetBaseUrl("demo").orElseThrow();
        List<String> demoCommand = ComposeFile.strings(compose.service("demo-target").get("command"));
        assertThat(demo.getHost()).isEqualTo("demo-target");
        assertThat(demoCommand).containsSubsequence("--port", String.valueOf(demo.getPort()))
                .containsSubsequence("--bind", "0.0.0.0");
        assertThat(healthUrl("demo-target").getPort()).isEqualTo(demo.getPort());

        int adminPort = Integer.parseInt(environment.getOrDefault(SettingsModel.environmentVariable("courier.admin.port"),
                SettingsModel.defaultOf("courier.admin.port")));
        assertThat(ComposeFile.strings(Yaml.at(compose.service("courier"), "healthcheck.test")))
                .as("the image's own check, which asks /health/ready on the admin port of the environment")
                .containsExactly("CMD", HEALTH_CHECK);
        assertThat(ComposeFile.strings(Yaml.at(compose.service("demo-target"), "healthcheck.test")))
                .containsExactly("CMD", HEALTH_CHECK, "http://127.0.0.1:" + demo.getPort() + "/ok");
        assertThat(ComposeFile.strings(compose.service("courier").get("ports"))).containsExactly(
                "127.0.0.1:" + adminPort + ":" + adminPort);
        assertThat(settings.ops().adminBind()).as("published and scraped from outside the container")
                .isEqualTo("0.0.0.0");
        assertThat(settings.ops().adminToken() != null || settings.ops().allowAnonymous())
                .as("a token, or anonymous said outright").isTrue();
        assertThat(ComposeFile.environment(compose.service("topics")))
                .as("a command without an admin server gets no admin settings")
                .doesNotContainKeys("COURIER_COURIER_ADMIN_BIND", "COURIER_COURIER_ADMIN_ALLOW_ANONYMOUS");
        String prometheus = readString(Path.of("compose", "prometheus.yml"));
        assertThat(prometheus).contains("metrics_path: /metrics").contains("\"courier:" + adminPort + "\"");

        compose.services().forEach((name, service) -> assertThat(ComposeFile.strings(service.get("ports")))
                .as("published ports of %s", name).allMatch(port -> port.startsWith("127.0.0.1:")));
    }

    @Test
    void courierGetsTheGracePeriodItsShutdownNeeds() {
        Settings settings = SettingsModel.load(Map.of(), ComposeFile.environment(compose.service("courier")));
        Duration grace = seconds((String) compose.service("courier").get("stop_grace_period"));

        assertThat(grace).isGreaterThanOrEqualTo(RunContract.shutdownBound(settings).plusSeconds(2));
    }

    @Test
    void courierAndTheDemoTargetRunOnAReadOnlyFilesystemWithoutCapabilities() {
        for (String name : List.of("courier", "demo-target")) {
            Map<String, Object> service = compose.service(name);
            assertThat(service.get("read_only")).as(name).isEqualTo(true);
            assertThat(ComposeFile.strings(service.get("tmpfs"))).as(name).containsExactly("/tmp");
            assertThat(ComposeFile.strings(service.get("cap_drop"))).as(name).containsExactly("ALL");
            assertThat(ComposeFile.strings(service.get("security_opt"))).as(name).contains("no-new-privileges:true");
        }
    }

    @Test
    void theObservabilityProfileProvisionsPrometheusAndTheChartsDashboard() {
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(ComposeFile.strings(compose.service(name).get("profiles"))).as(name)
                    .containsExactly("observability");
        }
        List<String> volumes = ComposeFile.strings(compose.service("grafana").get("volumes"));
        assertThat(volumes).contains("./helm/courier/dashboards:/var/lib/grafana/dashboards/courier:ro");
        assertThat(readString(Path.of("compose", "grafana", "provisioning", "dashboards", "courier.yml")))
                .contains("path: /var/lib/grafana/dashboards/courier");
        assertThat(readString(Path.of("compose", "grafana", "provisioning", "datasources", "prometheus.yml")))
                .contains("url: http://prometheus:9090");
        for (String volume : volumes) {
            assertThat(Path.of(volume.split(":")[0])).as("mounted into grafana").exists();
        }
    }

    private static boolean isSettingVariable(String variable) {
        if (variable.startsWith("COURIER_KAFKA_")) {
            String key = variable.substring("COURIER_KAFKA_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            return SettingsModel.isKafkaClientSetting(key);
        }
        return SettingsModel.keyOfVariable(variable).isPresent() || TARGET_VARIABLE.matcher(variable).matches();
    }

    /** The image's health check script (src/main/docker/healthcheck): the image has no curl. */
    private static final String HEALTH_CHECK = "/opt/courier/healthcheck";

    /** The URL a service's health check asks (its last argument). */
    private URI healthUrl(String service) {
        List<String> test = ComposeFile.strings(Yaml.at(compose.service(service), "healthcheck.test"));
        return URI.create(test.get(test.size() - 1));
    }

    private static Duration seconds(String text) {
        Matcher matcher = Pattern.compile("(\\d+)s").matcher(text);
        assertThat(matcher.matches()).as("a duration in seconds: %s", text).isTrue();
        return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
