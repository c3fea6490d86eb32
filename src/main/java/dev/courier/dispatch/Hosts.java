package dev.courier.dispatch;

import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@link HostState} of every host the dispatcher knows, by origin ({@code scheme://host:port}). A host with a
 * job in the dispatcher is always kept; of the others (idle), beyond {@code maxHosts} hosts in all, one whose state
 * is the default (unlimited, not paused, circuit closed) is forgotten first, the one idle longest, and only when
 * there is none the idle host with state worth keeping that has been idle longest. So events to many new hosts
 * push out other hosts' slowed rates, pauses and open circuits last. A forgotten host that comes back starts afresh.
 * Dispatch thread only.
 */
final class Hosts<C> {

    private final int maxHosts;
    private final Function<String, HostState<C>> create;
    private final LongSupplier nanoTime;
    private final Map<String, HostState<C>> table = new HashMap<>();
    /** Idle hosts whose state was the default when they became idle, the one idle longest first. */
    private final Map<String, HostState<C>> idlePlain = new LinkedHashMap<>();
    /** Idle hosts with a rate, a pause or a circuit worth keeping, the one idle longest first. */
    private final Map<String, HostState<C>> idleKept = new LinkedHashMap<>();

    Hosts(int maxHosts, Function<String, HostState<C>> create, LongSupplier nanoTime) {
        this.maxHosts = maxHosts;
        this.create = create;
        this.nanoTime = nanoTime;
    }

    /** The port {@code url} goes to: its own, else its scheme's. */
    static int port(URI url) {
        int port = url.getPort();
        return port >= 0 ? port : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** The origin of {@code url}: scheme, host and port, the port always written. */
    static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + ":" + port(url);
    }

    /**
     * The state of the host {@code url} goes to, for a job that enters: made when not known, and no longer idle.
     *
     * @param likely the host the job's key went to last, or null: taken without building the origin when it is the
     *               one and still known
     */
    HostState<C> enter(URI url, HostState<C> likely) {
        HostState<C> host = likely != null && !likely.forgotten && likely.serves(url) ? likely : null;
        if (host == null) {
            String name = origin(url);
            host = table.get(name);
            if (host == null) {
                host = create.apply(name);
                trim(maxHosts - 1);
                table.put(name, host);
            }
        }
        if (host.jobs == 0 && (idlePlain.remove(host.name) != null || idleKept.remove(host.name) != null)) {
            // no longer idle
        }
        host.jobs++;
        return host;
    }

    /** A job of {@code host} left the dispatcher; with its last, the host may be forgotten. */
    void left(HostState<C> host) {
        if (--host.jobs == 0 && table.get(host.name) == host) {
            (host.isPlain(nanoTime.getAsLong()) ? idlePlain : idleKept).put(host.name, host);
            trim(maxHosts);
        }
    }

    /** The hosts known now. */
    int size() {
        return table.size();
    }

    void forEach(Consumer<HostState<C>> action) {
        table.values().forEach(action);
    }

    private void trim(int bound) {
        trim(bound, idlePlain);
        trim(bound, idleKept);
    }

    private void trim(int bound, Map<String, HostState<C>> idle) {
        Iterator<HostState<C>> longestIdleFirst = idle.values().iterator();
        while (table.size() > bound && longestIdleFirst.hasNext()) {
            HostState<C> host = longestIdleFirst.next();
            longestIdleFirst.remove();
            table.remove(host.name);
            host.forgotten = true;
        }
    }
}
