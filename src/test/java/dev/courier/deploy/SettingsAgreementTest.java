package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.config.DeliveryGuarantee;
import dev.courier.config.SettingKeys;
import dev.courier.config.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * One source of truth: the settings model ({@link SettingKeys}) decides, and the settings page (docs/configuration.md),
 * the chart's values and schema, and the compose environment follow it. (The page's own rows, types and defaults are
 * generated from SettingKeys and held to it by ConfigurationPageTest.)
 */
class SettingsAgreementTest {

    /** Where the chart's default deliberately differs from Courier's, and why. */
    private static final Map<String, String> CHART_CHOICES = Map.of(
            "kafka.bootstrap.servers", "in a cluster Kafka is a service, not localhost",
            "courier.schema-registry.url", "in a cluster the registry is a service, not localhost",
            "courier.log.format", "json, which is what Courier's auto picks in a pod (no terminal), said outright",
            "courier.admin.bind", "the kubelet probes and Prometheus scrapes the pod's address, not its loopback",
            "courier.admin.allow-anonymous", "without an admin token, the chart's NetworkPolicy decides who reaches"
                    + " the admin port",
            "courier.status.peers", "the pod network, where the other pods are, rather than the network of a bind"
                    + " address that is every interface");

    private static final Path SCHEMA = RenderedChart.CHART.resolve("values.schema.json");

    @Test
    void theChartsDefaultsAreCouriersDefaultsSaveWhereItMustChoose() {
        Map<String, String> written = RenderedChart.defaults().properties();

        written.forEach((key, value) -> {
            if (!CHART_CHOICES.containsKey(key)) {
                assertThat(value).as("the chart's default for %s", key).isEqualTo(SettingsModel.defaultOf(key));
            }
        });
        assertThat(written.keySet()).containsAll(CHART_CHOICES.keySet());
    }

    @Test
    void theSchemasBoundsAreTheSettingsBounds() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());

        agrees(schema.at("/properties/topics/properties/partitions"), "courier.topics.partitions", String::valueOf);
        agrees(schema.at("/properties/shutdown/properties/drainTimeoutSeconds"), "courier.shutdown.drain-timeout",
                seconds -> seconds + "s");
        agrees(schema.at("/properties/commit/properties/timeoutSeconds"), "courier.commit.timeout",
                seconds -> seconds + "s");
    }

    @Test
    void theSchemasChoicesAreValuesCourierTakes() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());

        Set<String> guarantees = strings(schema.at("/properties/delivery/properties/guarantee/enum"));
        assertThat(guarantees).isEqualTo(new TreeSet<>(Arrays.stream(DeliveryGuarantee.values())
                .map(g -> g.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
        guarantees.forEach(value -> loads("courier.delivery.guarantee", value));
        strings(schema.at("/properties/log/properties/format/enum")).forEach(value -> loads("courier.log.format", value));
        strings(schema.at("/properties/kafka/properties/securityProtocol/enum")).forEach(value ->
                assertThat(org.apache.kafka.common.security.auth.SecurityProtocol.names()).contains(value));
    }

    @Test
    void theSettingsPageListsEverySettingTheChartAndTheComposeStackSet() throws IOException {
        String page = Files.readString(Path.of("docs", "configuration.md"));
        Set<String> keys = new HashSet<>(RenderedChart.allFeatures().properties().keySet());
        ComposeFile compose = ComposeFile.read();
        compose.courierServices().values().forEach(service -> ComposeFile.environment(service).keySet()
                .forEach(variable -> SettingsModel.keyOfVariable(variable).ifPresent(keys::add)));

        List<String> fixed = keys.stream().filter(key -> SettingsModel.key(key).isPresent()).sorted().toList();
        assertThat(fixed).isNotEmpty().allSatisfy(key ->
                assertThat(page).as("the settings page has %s", key).contains("| `" + key + "` |"));
    }

    /**
     * The schema's minimum and maximum for a value are exactly what Courier accepts for the setting it becomes:
     * both bounds load, one step beyond either is refused.
     */
    private static void agrees(JsonNode property, String key, IntFunction<String> asSetting) {
        int minimum = property.get("minimum").asInt();
        int maximum = property.get("maximum").asInt();

        loads(key, asSetting.apply(minimum));
        loads(key, asSetting.apply(maximum));
        assertThatThrownBy(() -> SettingsModel.load(Map.of(key, asSetting.apply(minimum - 1))))
                .as("%s below the schema's minimum %d", key, minimum).isInstanceOf(SettingsException.class);
        assertThatThrownBy(() -> SettingsModel.load(Map.of(key, asSetting.apply(maximum + 1))))
                .as("%s above the schema's maximum %d", key, maximum).isInstanceOf(SettingsException.class);
    }

    private static void loads(String key, String value) {
        assertThatCode(() -> SettingsModel.load(Map.of(key, value))).as("%s=%s", key, value).doesNotThrowAnyException();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(node -> values.add(node.asText()));
        assertThat(values).as("an enum in the schema").isNotEmpty();
        return values;
    }
}
