package dev.courier.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads YAML documents as maps, lists and scalars, and walks them by dotted paths. */
final class Yaml {

    private Yaml() {
    }

    static Map<String, Object> read(Path file) {
        try {
            return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Every non-empty document of a multi-document stream, such as helm's rendered manifests. */
    static List<Map<String, Object>> readAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            if (document != null) {
                documents.add(map(document, "document"));
            }
        }
        return documents;
    }

    /** The value at {@code path} ("spec.template.spec"), or null when some part of it is absent. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map)) {
            throw new AssertionError(what + " is not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String what) {
        if (!(node instanceof List)) {
            throw new AssertionError(what + " is not a list: " + node);
        }
        return (List<Object>) node;
    }

    static Map<String, Object> mapAt(Object node, String path) {
        return map(at(node, path), path);
    }

    static List<Object> listAt(Object node, String path) {
        return list(at(node, path), path);
    }
}
