package dev.courier.model;

import java.net.URI;
import java.util.Optional;

/** Resolves the named targets a request event may use instead of a full URL. */
@FunctionalInterface
public interface TargetDirectory {

    /** The base URL configured for {@code name}, or empty when no such target is configured. */
    Optional<URI> baseUrl(String name);
}
