package dev.courier.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The status view of {@code courier run}: a Kafka Streams table of requests by id, served at
 * {@code GET /requests/{id}} on the admin server.
 *
 * @param enabled        whether {@code courier run} starts the view
 * @param retention      how long an entry is kept after its last change
 * @param stateDir       where Kafka Streams keeps its state (locks, checkpoints), or null for a new temporary
 *                       directory at each start
 * @param advertisedHost the host other instances reach this one's admin server at, or null for the admin bind
 *                       address (this machine's address when that is 0.0.0.0 or ::)
 * @param peers          the addresses status queries may be forwarded to (with the admin token), or null for the
 *                       network of the admin bind address
 */
public record StatusSettings(boolean enabled, Duration retention, Path stateDir, String advertisedHost,
        CidrSet peers) {

    public StatusSettings {
        Objects.requireNonNull(retention, "retention");
    }
}
