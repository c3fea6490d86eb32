package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Settings;
import dev.courier.testkit.MarkdownBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Deploy with Helm" recipe of docs/recipes.md, as far as a machine without a cluster can take it: the values
 * file it writes and the {@code helm install} line it runs, rendered by helm itself (helm-java), in the release and
 * namespace the line names; the Secret its {@code kubectl} line creates is the one the pods read the token from; the
 * settings load; and the topics Job is there to run before the pods.
 */
class HelmRecipeTest {

    private static final Pattern HELM_INSTALL = Pattern.compile(
            "helm install (\\S+) (\\S+) -n (\\S+) -f (\\S+)");
    private static final Pattern SECRET = Pattern.compile(
            "kubectl -n (\\S+) create secret generic (\\S+) --from-literal=(\\S+?)=");

    @TempDir
    Path dir;

    @Test
    void theRecipesValuesAndInstallLineRenderAWorkingRelease() throws Exception {
        MarkdownBlocks recipe = MarkdownBlocks.of(Path.of("docs", "recipes.md"));
        String commands = recipe.in("Deploy with Helm", "sh", 0).text();
        Matcher install = HELM_INSTALL.matcher(commands);
        Matcher secret = SECRET.matcher(commands);
        assertThat(install.find()).as("a helm install line in:%n%s", commands).isTrue();
        assertThat(secret.find()).as("a kubectl create secret line in:%n%s", commands).isTrue();
        String release = install.group(1);
        Path chart = Path.of(install.group(2));
        String namespace = install.group(3);
        Path values = Files.writeString(dir.resolve(install.group(4)),
                recipe.in("Deploy with Helm", "yaml", 0).text());

        // helm validates the values against the chart's schema as it renders
        RenderedChart rendered = RenderedChart.renderWithHooks(dir.resolve("render"),
                command -> command.withName(release).withNamespace(namespace).withValuesFile(values));

        assertThat(chart.normalize()).as("the repository's chart").isEqualTo(RenderedChart.CHART);
        assertThat(secret.group(1)).as("the Secret is made where the release goes").isEqualTo(namespace);
        Map<String, Object> workload = rendered.workload();
        assertThat(Yaml.at(workload, "metadata.namespace")).isEqualTo(namespace);
        assertThat((String) Yaml.at(rendered.container(), "image")).startsWith("registry.example.com/courier:");
        Object volume = Yaml.listAt(rendered.podSpec(), "volumes").stream()
                .filter(v -> secret.group(2).equals(Yaml.at(v, "secret.secretName"))).findFirst().orElse(null);
        assertThat(volume).as("the pods mount Secret %s", secret.group(2)).isNotNull();
        Map<String, String> properties = rendered.properties(release);
        String authSecret = properties.get("courier.targets.orders.auth-secret");
        assertThat(authSecret).as("the token is the Secret's key %s, as a file", secret.group(3))
                .isEqualTo("${file:/etc/courier/targets/orders/" + secret.group(3) + "}");

        Settings settings = RenderedChart.settings(properties, rendered.container(), release + "-0", dir.resolve("m"));
        assertThat(settings.target("orders")).isPresent();
        assertThat(settings.topics().partitions()).isEqualTo(12);
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("my-kafka-bootstrap.kafka:9092");

        Map<String, Object> job = rendered.one("Job", release + "-topics");
        Map<String, Object> jobContainer = Yaml.map(Yaml.listAt(job, "spec.template.spec.containers").get(0), "job");
        assertThat(Yaml.listAt(jobContainer, "args")).containsSequence("topics", "create");
        assertThat(Yaml.mapAt(job, "metadata.annotations")).containsEntry(RenderedChart.RENAMED_HOOK,
                "pre-install,pre-upgrade");
        assertThat(List.of("kubectl create namespace " + namespace)).allSatisfy(line ->
                assertThat(commands).contains(line));
    }
}
