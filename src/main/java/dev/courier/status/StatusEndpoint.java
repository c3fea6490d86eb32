package dev.courier.status;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.ops.AdminResponse;
import dev.courier.ops.AdminServer;
import java.util.function.Function;

/**
 * {@code GET /requests/{id}}: the status of a request as JSON ({@link StatusJson}); 404 when the instance that holds
 * the id's partition has no status of it (no outcome recorded yet: not processed, or older than the retention); 503
 * while the view is starting or rebalancing, or when the id's partition is not (or no longer) on the instance asked. When another instance holds the id, the call is forwarded to
 * that instance's {@code GET /local/requests/{id}} (which answers from its own store only, so a forward is never
 * forwarded again) and its answer returned as it is; 502 when that instance cannot be reached.
 *
 * <p>Called on the admin server's threads, several at once.
 */
final class StatusEndpoint {

    /** The path of the endpoint, a prefix route. */
    static final String PATH = "/requests/";
    /** The path instances forward to: the same answer from that instance's own store. */
    static final String LOCAL_PATH = "/local/requests/";

    /** The error of a 404. */
    static final String UNKNOWN = "no outcome recorded yet (not processed, or older than retention)";

    private final Function<String, Lookup> lookup;
    private final Function<String, Lookup> local;
    private final Forwarder forwarder;

    StatusEndpoint(Function<String, Lookup> lookup, Function<String, Lookup> local, Forwarder forwarder) {
        this.lookup = lookup;
        this.local = local;
        this.forwarder = forwarder;
    }

    /** Serves {@code view} on {@code admin} (with the admin token), forwarding with {@code forwarder}. */
    static void serve(StatusView view, AdminServer admin, Forwarder forwarder) {
        StatusEndpoint endpoint = new StatusEndpoint(view::lookup, view::local, forwarder);
        admin.route(PATH, AdminServer.Access.TOKEN, endpoint::answer);
        admin.route(LOCAL_PATH, AdminServer.Access.TOKEN, endpoint::answerLocally);
    }

    AdminResponse answer(String path) {
        String id = path.substring(PATH.length());
        if (id.isEmpty()) {
            return AdminResponse.error(404, "give a request id: GET " + PATH + "{id}");
        }
        Lookup found = lookup.apply(id);
        if (found instanceof Lookup.Elsewhere elsewhere) {
            return forwarder.forward(elsewhere.host(), elsewhere.port(), LOCAL_PATH + id);
        }
        return respond(id, found);
    }

    AdminResponse answerLocally(String path) {
        String id = path.substring(LOCAL_PATH.length());
        return id.isEmpty() ? AdminResponse.error(404, "give a request id: GET " + LOCAL_PATH + "{id}")
                : respond(id, local.apply(id));
    }

    private static AdminResponse respond(String id, Lookup found) {
        if (found instanceof Lookup.Found known) {
            return AdminResponse.json(200, StatusJson.toText(known.status()));
        }
        if (found instanceof Lookup.Unavailable unavailable) {
            return AdminResponse.error(503, unavailable.reason() + "; try again shortly");
        }
        ObjectNode unknown = JsonNodeFactory.instance.objectNode();
        unknown.put("error", UNKNOWN);
        unknown.put("id", id);
        return AdminResponse.json(404, unknown.toString());
    }

    /** Asks another instance's admin server. */
    @FunctionalInterface
    interface Forwarder {

        /**
         * GET {@code path} of the admin server at {@code host:port}: its answer as it is, or 502 when it cannot be
         * had within a couple of seconds.
         */
        AdminResponse forward(String host, int port, String path);
    }
}
