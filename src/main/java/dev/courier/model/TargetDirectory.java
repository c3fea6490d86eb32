package dev.courier.model;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** Resolves the named targets a request event may use instead of a full URL. */
@FunctionalInterface
public interface TargetDirectory {

    /** The base URL configured for {@code name}, or empty when no such target is configured. */
    Optional<URI> baseUrl(String name);

    /**
     * The headers Courier adds to every call of target {@code name} (its own headers and its auth header), which its
     * events may not set; compared ignoring case. None by default.
     */
    default Set<String> injectedHeaders(String name) {
        return Set.of();
    }

    /**
     * The routing headers ({@code X-Forwarded-For}, ...) that events naming target {@code name} may set, lower-cased:
     * those its {@code allow-routing-headers} lists. None by default.
     */
    default Set<String> allowedRoutingHeaders(String name) {
        return Set.of();
    }
}
