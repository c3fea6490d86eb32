package dev.courier.testkit;

import dev.courier.codec.SchemaRegistryClient;
import dev.courier.codec.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** An in-memory registry that counts calls and can be made unreachable. Thread-safe. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
    private int nextId = 1;
    private boolean down;
    private int calls;

    public synchronized void goDown() {
        down = true;
    }

    public synchronized int calls() {
        return calls;
    }

    /** Stores a schema under a chosen id, as another producer would have. */
    public synchronized void put(String subject, int id, Schema schema) {
        schemasById.put(id, schema);
        idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        nextId = Math.max(nextId, id + 1);
    }

    @Override
    public synchronized int register(String subject, Schema schema) throws SchemaRegistryException {
        call("registering under " + subject);
        List<Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        for (int id : ids) {
            if (schemasById.get(id).equals(schema)) {
                return id;
            }
        }
        int id = nextId++;
        schemasById.put(id, schema);
        ids.add(id);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) throws SchemaRegistryException {
        call("fetching schema id " + id);
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND,
                    "fake registry answered HTTP 404 (error_code 40403: Schema " + id + " not found)",
                    404, 40403, null);
        }
        return schema;
    }

    @Override
    public synchronized SubjectVersion latest(String subject) throws SchemaRegistryException {
        call("fetching the latest of " + subject);
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null || ids.isEmpty()) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND,
                    "fake registry answered HTTP 404 (error_code 40401: Subject not found)", 404, 40401,
                    null);
        }
        int id = ids.get(ids.size() - 1);
        return new SubjectVersion(subject, ids.size(), id, schemasById.get(id));
    }

    private void call(String doing) throws SchemaRegistryException {
        calls++;
        if (down) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE,
                    "fake registry is unreachable (connection refused) while " + doing, 0, 0, null);
        }
    }

    @Override
    public String toString() {
        return "fake schema registry";
    }
}
