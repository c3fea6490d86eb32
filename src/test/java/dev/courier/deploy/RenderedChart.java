package dev.courier.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.courier.config.Settings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** helm/courier rendered by helm itself (helm template, through helm-java), as a list of manifests to query. */
final class RenderedChart {

    static final Path CHART = Path.of("helm", "courier");
    static final Path ALL_FEATURES = Path.of("src", "test", "resources", "deploy", "all-features.yaml");
    static final String RELEASE = "courier";
    static final String NAMESPACE = "apps";
    /** The address the kubelet would give {@code status.podIP}: a stand-in, never connected to. */
    static final String POD_IP = "127.0.0.2"; // a loopback address: nothing may ever connect to a real pod IP from a test
    /** Charts are rendered for this Kubernetes version (the chart needs 1.25 or later). */
    static final String KUBE_VERSION = "1.31.0";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final List<Map<String, Object>> manifests;

    private RenderedChart(List<Map<String, Object>> manifests) {
        this.manifests = manifests;
    }

    /** Renders with the chart's default values and then {@code values} applied to the command. */
    static RenderedChart render(UnaryOperator<TemplateCommand> values) {
        return new RenderedChart(Yaml.readAll(renderText(values)));
    }

    static RenderedChart defaults() {
        return render(command -> command);
    }

    static RenderedChart allFeatures() {
        return render(command -> command.withValuesFile(ALL_FEATURES));
    }

    /** The annotation that makes a manifest a Helm hook, and what {@link #renderWithHooks} renames it to. */
    static final String HOOK = "helm.sh/hook";
    static final String RENAMED_HOOK = "rendered-by-test.courier.dev/hook";

    /**
     * Renders the chart with its hooks among the manifests. helm template (as helm-java returns it) leaves hooks out,
     * so this renders a copy of the chart, made under {@code scratch}, whose {@code helm.sh/hook*} annotations are
     * named {@link #RENAMED_HOOK}{@code *} instead; everything else is helm's own rendering of the chart's files.
     */
    static RenderedChart renderWithHooks(Path scratch, UnaryOperator<TemplateCommand> values) {
        Path copy = scratch.resolve("courier");
        try (java.util.stream.Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    String text = Files.readString(file);
                    Files.writeString(target, file.getParent().endsWith("templates")
                            ? text.replace(HOOK, RENAMED_HOOK) : text);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy the chart to " + copy, e);
        }
        TemplateCommand command = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        return new RenderedChart(Yaml.readAll(values.apply(command).call()));
    }

    /**
     * The text helm renders.
     *
     * @throws IllegalStateException with helm's message when helm refuses the values (schema) or a template fails
     */
    static String renderText(UnaryOperator<TemplateCommand> values) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        return values.apply(command).call();
    }

    List<Map<String, Object>> manifests() {
        return manifests;
    }

    List<Map<String, Object>> all(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    /** The one manifest of {@code kind} named {@code name}. */
    Map<String, Object> one(String kind, String name) {
        List<Map<String, Object>> found = all(kind).stream()
                .filter(m -> name.equals(Yaml.at(m, "metadata.name"))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " " + name + " but found " + found.size()
                    + " among " + manifests.stream().map(m -> m.get("kind") + " " + Yaml.at(m, "metadata.name")).toList());
        }
        return found.get(0);
    }

    boolean has(String kind) {
        return !all(kind).isEmpty();
    }

    /** The Deployment or StatefulSet that runs Courier. */
    Map<String, Object> workload() {
        List<Map<String, Object>> workloads = manifests.stream()
                .filter(m -> m.get("kind").equals("Deployment") || m.get("kind").equals("StatefulSet")).toList();
        if (workloads.size() != 1) {
            throw new AssertionError("expected one Deployment or StatefulSet but found " + workloads.size());
        }
        return workloads.get(0);
    }

    Map<String, Object> podSpec() {
        return Yaml.mapAt(workload(), "spec.template.spec");
    }

    Map<String, Object> container() {
        return Yaml.map(Yaml.listAt(podSpec(), "containers").get(0), "the container");
    }

    /** The settings in the ConfigMap's courier.properties, in file order. */
    Map<String, String> properties() {
        return properties(RELEASE);
    }

    /** The settings in the courier.properties of ConfigMap {@code configMap}, in file order. */
    Map<String, String> properties(String configMap) {
        String text = (String) Yaml.mapAt(one("ConfigMap", configMap), "data").get("courier.properties");
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        text.lines().map(line -> line.split("=", 2)[0].trim()).filter(key -> !key.isEmpty() && !key.startsWith("#"))
                .forEach(key -> ordered.put(key, properties.getProperty(key)));
        return ordered;
    }

    /** The container's environment variables as listed (value or valueFrom), by name. */
    Map<String, Map<String, Object>> env() {
        return env(container());
    }

    /** The environment variables of {@code container} as listed (value or valueFrom), by name. */
    static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        Object list = container.get("env");
        if (list != null) {
            Yaml.list(list, "env").forEach(item -> {
                Map<String, Object> variable = Yaml.map(item, "env item");
                env.put((String) variable.get("name"), variable);
            });
        }
        return env;
    }

    /**
     * The environment as the kubelet would give it to pod {@code podName}: field references filled in, values of
     * secret references replaced by a stand-in, and {@code $(VAR)} expanded from the variables before it.
     */
    Map<String, String> environmentOf(String podName) {
        return environmentOf(container(), podName);
    }

    /** {@link #environmentOf(String)} for {@code container}, in pod {@code podName}. */
    static Map<String, String> environmentOf(Map<String, Object> container, String podName) {
        Map<String, String> resolved = new LinkedHashMap<>();
        env(container).forEach((name, variable) -> {
            Object value = variable.get("value");
            String text;
            if (value != null) {
                Matcher matcher = VARIABLE.matcher(value.toString());
                StringBuilder expanded = new StringBuilder();
                while (matcher.find()) {
                    String replacement = resolved.getOrDefault(matcher.group(1), matcher.group());
                    matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
                }
                matcher.appendTail(expanded);
                text = expanded.toString();
            } else if (Yaml.at(variable, "valueFrom.fieldRef.fieldPath") != null) {
                String field = (String) Yaml.at(variable, "valueFrom.fieldRef.fieldPath");
                text = switch (field) {
                    case "metadata.name" -> podName;
                    case "metadata.namespace" -> NAMESPACE;
                    case "status.podIP" -> POD_IP;
                    default -> throw new AssertionError("unexpected field reference " + field);
                };
            } else if (Yaml.at(variable, "valueFrom.secretKeyRef") != null) {
                text = "from-secret-" + Yaml.at(variable, "valueFrom.secretKeyRef.name") + "-"
                        + Yaml.at(variable, "valueFrom.secretKeyRef.key");
            } else {
                throw new AssertionError("environment variable " + name + " has neither value nor a known valueFrom");
            }
            resolved.put(name, text);
        });
        return resolved;
    }

    /** Where the chart mounts Secrets' files; tests put stand-in files under a temporary directory instead. */
    static final String MOUNTS = "/etc/courier/";
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:([^}]+)}");

    /**
     * The settings a container would run with: the properties of ConfigMap {@code configMap} and the environment of
     * {@code container} in pod {@code podName}, with the files the chart mounts from Secrets stood in for by files
     * under {@code mounts}.
     */
    static Settings settings(Map<String, String> properties, Map<String, Object> container, String podName,
            Path mounts) throws IOException {
        Map<String, String> relocated = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            String value = SettingsModel.relocate(entry.getValue(), MOUNTS, mounts);
            Matcher reference = FILE_REFERENCE.matcher(value);
            String file = reference.matches() ? reference.group(1) : value;
            if (file.startsWith(mounts.toString()) && !Files.exists(Path.of(file))) {
                Files.createDirectories(Path.of(file).getParent());
                Files.writeString(Path.of(file), "stand-in for " + entry.getKey());
            }
            relocated.put(entry.getKey(), value);
        }
        return SettingsModel.load(relocated, environmentOf(container, podName));
    }
}
