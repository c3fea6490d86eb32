package dev.courier.codec;

import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry: the subset Courier needs (register, fetch
 * by id, latest version of a subject).
 *
 * <p>Implementations are thread-safe. The client built by {@link #builder} speaks HTTP and
 * caches what cannot change ({@link #register} and {@link #schemaById} answers) in two bounded
 * caches; {@link #latest} is never cached. Its {@link #schemaById}, given an id the registry
 * does not know (404, error code 40403), asks again after 100, 200, 300 and 400 ms in case a
 * registry follower has not yet caught up with its leader, then remembers the id as unknown for
 * 5 s, answering NOT_FOUND at once without a request. Time bound: each request ends within the
 * request timeout T, so {@link #register} and {@link #latest} within T and {@link #schemaById}
 * within T + 1 s (none at all when cached). Tests and the engine may substitute a fake.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions})
     * and returns its id; registering a schema the subject already has returns the existing id.
     */
    int register(String subject, Schema schema) throws SchemaRegistryException;

    /** Returns the schema with this id ({@code GET /schemas/ids/{id}}). */
    Schema schemaById(int id) throws SchemaRegistryException;

    /** Returns the latest version of a subject ({@code GET /subjects/{subject}/versions/latest}). */
    SubjectVersion latest(String subject) throws SchemaRegistryException;

    /** One registered version of a subject. */
    record SubjectVersion(String subject, int version, int id, Schema schema) {
        public SubjectVersion {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** Starts an HTTP client for the registry at {@code baseUrl}, e.g. {@code http://localhost:8081}. */
    static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** Settings of the HTTP client; {@link #build()} validates them. Not thread-safe. */
    final class Builder {
        /** Default of {@link #requestTimeout}: 10 seconds. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
        /** Default of {@link #cacheSize}: 1,000 entries per cache. */
        public static final int DEFAULT_CACHE_SIZE = 1_000;

        private final URI baseUrl;
        private String username;
        private String password;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int cacheSize = DEFAULT_CACHE_SIZE;

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** HTTP basic authentication, sent on every request. Default: none. */
        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Limit on one request, from connecting to the last byte of the answer; a request that
         * takes longer fails as {@link SchemaRegistryException.Kind#UNAVAILABLE}. One
         * {@link SchemaRegistryClient#schemaById} that reaches the registry takes at most this + 1 s, since a "schema
         * not found" is asked again for up to 1 s in case a registry follower is behind; the
         * other calls are one request each. Default {@link #DEFAULT_REQUEST_TIMEOUT}.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Most entries kept in each of the two caches (id to schema; subject and schema to id);
         * past it, the entries least likely to be used again, by how often and how recently they
         * were used, are evicted first. Default {@link #DEFAULT_CACHE_SIZE}.
         */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is invalid */
        public SchemaRegistryClient build() {
            String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!baseUrl.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
                    || baseUrl.getHost() == null) {
                throw new IllegalArgumentException(
                        "schema registry URL must be an absolute http or https URL, got \"" + baseUrl + "\"");
            }
            if (baseUrl.getRawUserInfo() != null) {
                throw new IllegalArgumentException("schema registry URL must not carry credentials; "
                        + "give them as basic-auth username and password");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "schema registry URL must not have a query or fragment, got \"" + baseUrl + "\"");
            }
            if (username != null && username.isEmpty()) {
                throw new IllegalArgumentException("schema registry basic-auth username must not be empty");
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "schema registry request timeout must be positive, got " + requestTimeout);
            }
            if (cacheSize < 1) {
                throw new IllegalArgumentException(
                        "schema registry cache size must be at least 1, got " + cacheSize);
            }
            String authorization = username == null ? null : "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            return new CachingSchemaRegistryClient(
                    new HttpSchemaRegistryClient(baseUrl, authorization, requestTimeout), cacheSize);
        }
    }
}
