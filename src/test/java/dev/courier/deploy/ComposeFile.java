package dev.courier.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-compose.yml, read as Docker Compose reads it: YAML with aliases, and {@code <<} merge keys resolved. */
final class ComposeFile {

    static final Path FILE = Path.of("docker-compose.yml");
    /** The image the stack builds from this repository's Dockerfile. */
    static final String COURIER_IMAGE = "courier:local";

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile read() {
        return new ComposeFile(Yaml.read(FILE));
    }

    /** Every service by name, with the mappings it merges in ({@code <<: *anchor}) applied under its own keys. */
    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        Yaml.mapAt(root, "services").forEach((name, node) -> services.put(name, merged(Yaml.map(node, name))));
        return services;
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The services that run Courier's own image. */
    Map<String, Map<String, Object>> courierServices() {
        Map<String, Map<String, Object>> courier = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (COURIER_IMAGE.equals(service.get("image"))) {
                courier.put(name, service);
            }
        });
        return courier;
    }

    /**
     * A service's environment as a map, whether written as a mapping (with the mappings it merges in, {@code <<:
     * *anchor}, under its own keys) or as a list of NAME=value.
     */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object node = service.get("environment");
        if (node instanceof Map<?, ?> map) {
            Object merge = map.get("<<");
            if (merge instanceof Map<?, ?> merged) {
                merged.forEach((name, value) -> environment.put(String.valueOf(name), String.valueOf(value)));
            } else if (merge instanceof List<?> list) {
                list.forEach(item -> ((Map<?, ?>) item).forEach((name, value) ->
                        environment.put(String.valueOf(name), String.valueOf(value))));
            }
            map.forEach((name, value) -> {
                if (!"<<".equals(name)) {
                    environment.put(String.valueOf(name), String.valueOf(value));
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> {
                String[] pair = String.valueOf(item).split("=", 2);
                environment.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return environment;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object node) {
        return node == null ? List.of() : ((List<Object>) node).stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> merged(Map<String, Object> service) {
        Object merge = service.get("<<");
        if (merge == null) {
            return service;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (merge instanceof List<?> list) {
            list.forEach(item -> result.putAll(Yaml.map(item, "<< item")));
        } else {
            result.putAll(Yaml.map(merge, "<<"));
        }
        service.forEach((key, value) -> {
            if (!key.equals("<<")) {
                result.put(key, value);
            }
        });
        return result;
    }
}
