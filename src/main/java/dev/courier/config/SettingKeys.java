package dev.courier.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting Courier reads, with its default. This is the one place defaults live; docs/configuration.md is
 * generated from it (ConfigurationPageTest fails when the two differ).
 *
 * <p>Besides these, {@code kafka.*} keys pass unchanged to the Kafka clients, and each named target
 * is a set of pattern keys, {@code courier.targets.NAME.base-url} and the others of {@link #TARGET_KEYS}.
 */
public final class SettingKeys {

    public static final SettingKey<String> KAFKA_BOOTSTRAP_SERVERS = new SettingKey<>(
            "kafka.bootstrap.servers", "host:port list", "localhost:9092",
            "Kafka brokers to bootstrap from, comma-separated. Every other kafka.* key is passed to the"
                    + " Kafka clients unchanged (e.g. kafka.security.protocol, kafka.sasl.mechanism).",
            ValueParsers.text());

    public static final SettingKey<URI> REGISTRY_URL = new SettingKey<>(
            "courier.schema-registry.url", "http(s) URL", "http://localhost:8081",
            "Confluent-compatible schema registry.",
            ValueParsers.httpUrl());

    public static final SettingKey<String> REGISTRY_USERNAME = new SettingKey<>(
            "courier.schema-registry.username", "string", null,
            "User for HTTP basic auth to the registry; set together with the password.",
            ValueParsers.text());

    public static final SettingKey<String> REGISTRY_PASSWORD = new SettingKey<>(
            "courier.schema-registry.password", "secret", null,
            "Password for HTTP basic auth to the registry; pass it by environment"
                    + " (COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD), not in a file.",
            ValueParsers.text());

    public static final SettingKey<Duration> REGISTRY_TIMEOUT = new SettingKey<>(
            "courier.schema-registry.timeout", "duration 100ms..5m", "5s",
            "Time allowed for one registry request, connecting included. Intake waits for it, so in exactly-once"
                    + " mode it must leave room within kafka.transaction.timeout.ms (Courier checks at start).",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

    public static final SettingKey<Integer> REGISTRY_CACHE_SIZE = new SettingKey<>(
            "courier.schema-registry.cache-size", "integer 10..100000", "1000",
            "Schemas kept in memory by id, schema ids by subject, and ids the registry does not know (each for 5 s);"
                    + " past it, those least likely to be used again go first.",
            ValueParsers.integer(10, 100_000));

    public static final SettingKey<Boolean> REGISTRY_AUTO_REGISTER = new SettingKey<>(
            "courier.schema-registry.auto-register", "boolean", "true",
            "Register Courier's schemas on first use; when false, the subject's latest version is used"
                    + " and must already be registered.",
            ValueParsers.bool());

    public static final SettingKey<String> TOPIC_REQUESTS = new SettingKey<>(
            "courier.topics.requests", "topic name", "courier.requests",
            "Topic Courier reads request events from.",
            topicName());

    public static final SettingKey<String> TOPIC_RESULTS = new SettingKey<>(
            "courier.topics.results", "topic name", "courier.results",
            "Topic Courier writes results to.",
            topicName());

    public static final SettingKey<String> TOPIC_DEAD_LETTERS = new SettingKey<>(
            "courier.topics.dead-letters", "topic name", "courier.dead-letters",
            "Topic Courier writes dead letters to.",
            topicName());

    public static final SettingKey<String> TOPIC_STATUS = new SettingKey<>(
            "courier.topics.status", "topic name", "courier.status",
            "Compacted topic of each request's latest status, keyed by request id, which courier run and courier"
                    + " replay write and the status view reads while courier.status.enabled; `courier topics create`"
                    + " makes it with cleanup.policy=compact,delete and retention.ms from courier.status.retention.",
            topicName());

    public static final SettingKey<Integer> TOPIC_PARTITIONS = new SettingKey<>(
            "courier.topics.partitions", "integer 1..10000", "6",
            "Partitions of each topic created by `courier topics create`.",
            ValueParsers.integer(1, 10_000));

    public static final SettingKey<Integer> TOPIC_REPLICATION_FACTOR = new SettingKey<>(
            "courier.topics.replication-factor", "integer 1..32767", null,
            "Replication factor of each topic created by `courier topics create`; the broker's"
                    + " default.replication.factor when unset.",
            ValueParsers.integer(1, Short.MAX_VALUE));

    public static final SettingKey<String> GROUP_ID = new SettingKey<>(
            "courier.group-id", "string", "courier",
            "Kafka consumer group of the Courier instances that share the requests topic.",
            ValueParsers.text());

    public static final SettingKey<Duration> CONNECT_TIMEOUT = new SettingKey<>(
            "courier.connect-timeout", "duration 1s..10m", "15s",
            "How long Courier waits for the Kafka cluster to answer at start, and how long a command waits"
                    + " on Kafka before it gives up with an error.",
            ValueParsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)));

    public static final SettingKey<Integer> WORKERS = new SettingKey<>(
            "courier.workers", "integer 1..4096", "64",
            "Threads that make HTTP calls: the most calls in progress at once.",
            ValueParsers.integer(1, 4096));

    public static final SettingKey<Integer> MAX_IN_FLIGHT = new SettingKey<>(
            "courier.max-in-flight", "integer 1..1000000", "1000",
            "Events taken from Kafka and not yet finished, counting those in a call, waiting for a token or a"
                    + " retry, or being published. At this bound Courier pauses its partitions (and keeps polling, so"
                    + " it stays in the group); it resumes below three quarters of it.",
            ValueParsers.integer(1, 1_000_000));

    public static final SettingKey<Integer> MAX_IN_FLIGHT_PER_KEY = new SettingKey<>(
            "courier.max-in-flight-per-key", "integer 1..1000000", null,
            "Events of one rate-limit key that count towards courier.max-in-flight; unset for a quarter of it. The"
                    + " key's further events are parked (as many again at most, and courier.max-in-flight in all)"
                    + " without counting, so a paused, failing or slow key cannot stop the others; past that, the"
                    + " partition whose next event is for the key waits.",
            ValueParsers.integer(1, 1_000_000));

    public static final SettingKey<Ordering> ORDERING = new SettingKey<>(
            "courier.ordering", ValueParsers.labels(Ordering.class), "key",
            "key: events with the same Kafka key run one at a time, in offset order. partition: one at a time per"
                    + " partition. unordered: no order, the highest throughput.",
            ValueParsers.oneOf(Ordering.class));

    public static final SettingKey<Duration> COMMIT_INTERVAL = new SettingKey<>(
            "courier.commit.interval", "duration 10ms..1m", "100ms",
            "How often the offsets below which every event has a published outcome are committed; in"
                    + " exactly-once mode, how often the transaction of outcomes and offsets commits, which is when"
                    + " read_committed consumers see the outcomes.",
            ValueParsers.duration(Duration.ofMillis(10), Duration.ofMinutes(1)));

    public static final SettingKey<Duration> COMMIT_TIMEOUT = new SettingKey<>(
            "courier.commit.timeout", "duration 1s..5m", "5s",
            "How long one commit may block before Courier tries it again later: the consumer's commit before"
                    + " partitions are let go (at-least-once), or each step of a transaction (exactly-once; it is the"
                    + " transactional producer's max.block.ms). Part of the shutdown's worst case.",
            ValueParsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)));

    public static final SettingKey<DeliveryGuarantee> DELIVERY_GUARANTEE = new SettingKey<>(
            "courier.delivery.guarantee", ValueParsers.labels(DeliveryGuarantee.class), "at-least-once",
            "at-least-once: every event gets an outcome; after a crash, events that were in flight may get a second."
                    + " exactly-once: outcomes and offsets commit in one transaction, so read_committed consumers see"
                    + " exactly one outcome per event, through crashes and rebalances.",
            ValueParsers.oneOf(DeliveryGuarantee.class));

    public static final SettingKey<String> TRANSACTIONAL_ID = new SettingKey<>(
            "courier.transactional-id", "string", null,
            "Exactly-once mode: the producer's transactional id. Give each instance a stable, distinct one (for"
                    + " example a StatefulSet pod name) so a restarted instance aborts its predecessor's open"
                    + " transaction at once; when unset it is random and read_committed readers wait up to"
                    + " kafka.transaction.timeout.ms (Courier's default 10s) after a crash.",
            ValueParsers.text());

    public static final SettingKey<Duration> DRAIN_TIMEOUT = new SettingKey<>(
            "courier.shutdown.drain-timeout", "duration 0s..10m", "15s",
            "On shutdown (SIGTERM) and when partitions are revoked, how long events in flight get to finish and"
                    + " publish before they are left for the next owner to redo. A shutdown takes at most this (or"
                    + " courier.commit.timeout, if longer) plus courier.commit.timeout plus 8s: 28s with the defaults,"
                    + " inside Kubernetes' 30s grace period.",
            ValueParsers.duration(Duration.ZERO, Duration.ofMinutes(10)));

    public static final SettingKey<RateScope> RATE_SCOPE = new SettingKey<>(
            "courier.rate.scope", ValueParsers.labels(RateScope.class), "group",
            "group: every courier.rate.* rate and burst (and each target's rate) is the budget of the whole consumer"
                    + " group, and each instance takes the share its partitions of the requests topic are of all of"
                    + " them. instance: each instance applies the rates on its own (N instances send up to N times).",
            ValueParsers.oneOf(RateScope.class));

    public static final SettingKey<Double> RATE_GLOBAL = new SettingKey<>(
            "courier.rate.global", "events/s, decimal", "0",
            "Most HTTP attempts per second across all events (retries included); 0 for no limit.",
            ValueParsers.rate(1_000_000));

    public static final SettingKey<Integer> RATE_GLOBAL_BURST = new SettingKey<>(
            "courier.rate.global-burst", "integer 0..1000000", "0",
            "Attempts the global bucket holds, so after a quiet spell this many may start at once; 0 for one"
                    + " second of the rate.",
            ValueParsers.integer(0, 1_000_000));

    public static final SettingKey<Double> RATE_PER_KEY = new SettingKey<>(
            "courier.rate.per-key", "events/s, decimal", "0",
            "Most attempts per second for each rate-limit key: the event's rateLimitKey, else the URL's host;"
                    + " 0 for no limit.",
            ValueParsers.rate(1_000_000));

    public static final SettingKey<Integer> RATE_PER_KEY_BURST = new SettingKey<>(
            "courier.rate.per-key-burst", "integer 0..1000000", "0",
            "Attempts each key's bucket holds; 0 for one second of the key's rate.",
            ValueParsers.integer(0, 1_000_000));

    public static final SettingKey<java.util.Map<String, Double>> RATE_OVERRIDES = new SettingKey<>(
            "courier.rate.per-key-overrides", "key=rate list", "",
            "Rates that replace courier.rate.per-key for particular keys or hosts, e.g."
                    + " api.example.com=50,mail.example.com=2.5.",
            ValueParsers.rates(1_000_000));

    public static final SettingKey<Integer> RATE_MAX_KEYS = new SettingKey<>(
            "courier.rate.max-keys", "integer 1..1000000", "10000",
            "Rate-limit keys, and hosts, whose state is kept while none of their events is in the dispatcher:"
                    + " a key's bucket; a host's adaptive rate, pause and circuit. Beyond it the key idle longest is"
                    + " forgotten, and of the hosts first one with nothing to remember; a forgotten key or host starts"
                    + " afresh (full bucket; no limit of its own, no pause, closed circuit) if it comes back.",
            ValueParsers.integer(1, 1_000_000));

    public static final SettingKey<Boolean> RATE_ADAPTIVE = new SettingKey<>(
            "courier.rate.adaptive", "boolean", "true",
            "Adapt each host's rate (scheme, host and port) to what it answers: a 429 without Retry-After (or a"
                    + " rate-limit field) multiplies the rate it was making by courier.rate.decrease-factor, at most"
                    + " once a second; 503s and timeouts slow it only on trial, while they are a quarter or more of"
                    + " at least 20 answers a second, and the rate goes back unless their share falls with it. Each"
                    + " second without pushback gives a tenth back, up to where it was, then no limit of its own.",
            ValueParsers.bool());

    public static final SettingKey<Double> RATE_DECREASE_FACTOR = new SettingKey<>(
            "courier.rate.decrease-factor", "decimal 0.05..0.95", "0.5",
            "What a host's rate is multiplied by when it pushes back.",
            ValueParsers.decimal(0.05, 0.95));

    public static final SettingKey<Double> RATE_FLOOR = new SettingKey<>(
            "courier.rate.floor", "events/s, decimal", "1",
            "The lowest rate a host's decreases reach (in group scope, the group's floor); one second of pushback"
                    + " only halves the rate, so a host reaches it after several seconds of pushback in a row.",
            ValueParsers.positiveRate(1_000_000));

    public static final SettingKey<Integer> RATE_INCREASE_AFTER = new SettingKey<>(
            "courier.rate.increase-after", "integer 1..100000", "1",
            "Successes a slowed host must give since its rate last changed before a second without pushback gives"
                    + " a step of it back.",
            ValueParsers.integer(1, 100_000));

    public static final SettingKey<Integer> CIRCUIT_WINDOW = new SettingKey<>(
            "courier.circuit.window", "integer 0..10000", "100",
            "Each host's circuit breaker (per scheme, host and port) counts the results of its last this many calls"
                    + " that ended within 10 s (a failure to connect, a timeout and a 5xx fail; any other answer"
                    + " succeeds), and judges once it has counted 20 (or the whole window, if shorter); 0 turns"
                    + " circuit breaking off.",
            ValueParsers.integer(0, 10_000));

    public static final SettingKey<Double> CIRCUIT_FAILURE_RATIO = new SettingKey<>(
            "courier.circuit.failure-ratio", "decimal 0.01..1", "0.5",
            "The share of failed calls among the last courier.circuit.window that opens a host's circuit: no call"
                    + " goes to it for courier.circuit.open-wait, and its events wait (within their deadline) without"
                    + " using attempts.",
            ValueParsers.decimal(0.01, 1));

    public static final SettingKey<Duration> CIRCUIT_OPEN_WAIT = new SettingKey<>(
            "courier.circuit.open-wait", "duration 100ms..1h", "10s",
            "How long an open circuit lets no call through before it is probed.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final SettingKey<Integer> CIRCUIT_PROBES = new SettingKey<>(
            "courier.circuit.probes", "integer 1..1000", "3",
            "Calls let through to probe an open circuit after its wait; if as many fail as the ratio allows, it"
                    + " opens again, else it closes.",
            ValueParsers.integer(1, 1000));

    public static final SettingKey<Duration> HTTP_CONNECT_TIMEOUT = new SettingKey<>(
            "courier.http.connect-timeout", "duration 100ms..5m", "5s",
            "Time to open a TCP connection. The TLS handshake that follows is bounded by the read timeout.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

    public static final SettingKey<Duration> HTTP_READ_TIMEOUT = new SettingKey<>(
            "courier.http.read-timeout", "duration 100ms..1h", "30s",
            "Longest silence while waiting for or reading a response.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final SettingKey<Duration> HTTP_WRITE_TIMEOUT = new SettingKey<>(
            "courier.http.write-timeout", "duration 100ms..1h", "30s",
            "Longest stall while sending a request.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final SettingKey<Duration> HTTP_CALL_TIMEOUT = new SettingKey<>(
            "courier.http.call-timeout", "duration 100ms..1h", "30s",
            "Time for a whole attempt (connect, send, wait, read) when the event sets no timeoutMs.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final SettingKey<Duration> HTTP_MAX_CALL_TIMEOUT = new SettingKey<>(
            "courier.http.max-call-timeout", "duration 100ms..1h", "5m",
            "The most an event's timeoutMs may ask for; longer requests are cut to it.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final SettingKey<Boolean> HTTP_FOLLOW_REDIRECTS = new SettingKey<>(
            "courier.http.follow-redirects", "boolean", "false",
            "Follow 3xx redirects; when false a 3xx is the attempt's answer.",
            ValueParsers.bool());

    public static final SettingKey<Integer> HTTP_MAX_REDIRECTS = new SettingKey<>(
            "courier.http.max-redirects", "integer 1..20", "5",
            "With courier.http.follow-redirects, the most redirects followed in one attempt; past it the last 3xx"
                    + " is the answer. Every hop is checked against the egress policy, and credential headers are"
                    + " dropped when a hop changes host.",
            ValueParsers.integer(1, 20));

    public static final SettingKey<Long> HTTP_MAX_REQUEST_BYTES = new SettingKey<>(
            "courier.http.max-request-bytes", "size 0..64MiB", "1MiB",
            "Largest request body; an event with a larger one is an invalid request.",
            ValueParsers.dataSize(0, 64L << 20));

    public static final SettingKey<Integer> HTTP_MAX_REQUEST_HEADERS = new SettingKey<>(
            "courier.http.max-request-headers", "integer 1..1000", "64",
            "Most headers an event may set (contentType and idempotencyKey count as headers); an event with more"
                    + " is an invalid request.",
            ValueParsers.integer(1, 1000));

    public static final SettingKey<Long> HTTP_MAX_HEADER_BYTES = new SettingKey<>(
            "courier.http.max-header-bytes", "size 1KiB..1MiB", "16KiB",
            "Most bytes of headers an event may set, counted as on the wire (name, value and 4 bytes each); an"
                    + " event with more is an invalid request.",
            ValueParsers.dataSize(1024, 1L << 20));

    public static final SettingKey<Long> HTTP_MAX_RESPONSE_BYTES = new SettingKey<>(
            "courier.http.max-response-bytes", "size 0..16MiB", "256KiB",
            "Response body bytes kept on the result, after decompression; the rest is discarded and the result"
                    + " says bodyTruncated. Keep it under the broker's message size limit.",
            ValueParsers.dataSize(0, 16L << 20));

    public static final SettingKey<Integer> HTTP_PER_HOST_CONCURRENCY = new SettingKey<>(
            "courier.http.per-host-concurrency", "integer 0..4096", "0",
            "Calls in progress to one host at once; 0 for as many as courier.workers.",
            ValueParsers.integer(0, 4096));

    public static final SettingKey<Duration> HTTP_KEEP_ALIVE = new SettingKey<>(
            "courier.http.keep-alive", "duration 1s..1h", "4s",
            "How long an idle connection is kept for reuse. Keep it below the targets' own idle timeout (many"
                    + " servers close idle connections after 5 s): a request sent on a connection the server has just"
                    + " closed fails in a way that may have reached the server, and POST or PATCH without an"
                    + " idempotencyKey is then not retried.",
            ValueParsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)));

    public static final SettingKey<Boolean> HTTP_IDEMPOTENCY_KEY_FROM_ID = new SettingKey<>(
            "courier.http.idempotency-key-from-id", "boolean", "true",
            "Send an event without idempotencyKey with its id as Idempotency-Key, so a call Courier repeats after"
                    + " a crash carries the same key. It does not make Courier retry a POST or PATCH that may have"
                    + " reached the server: only an explicit idempotencyKey does.",
            ValueParsers.bool());

    public static final SettingKey<StatusSet> HTTP_SUCCESS_STATUSES = new SettingKey<>(
            "courier.http.success-statuses", "status list", "200-299",
            "Statuses that end an event with a result.",
            ValueParsers.statuses());

    public static final SettingKey<StatusSet> HTTP_RETRY_STATUSES = new SettingKey<>(
            "courier.http.retry-statuses", "status list", "408,425,429,500,502,503,504",
            "Statuses worth another attempt. Any other non-success status is final.",
            ValueParsers.statuses());

    public static final SettingKey<Integer> RETRY_MAX_ATTEMPTS = new SettingKey<>(
            "courier.retry.max-attempts", "integer 1..100", "5",
            "Attempts per event, the first included; an event's maxAttempts may lower it.",
            ValueParsers.integer(1, 100));

    public static final SettingKey<Duration> RETRY_BACKOFF_INITIAL = new SettingKey<>(
            "courier.retry.backoff-initial", "duration 1ms..1h", "200ms",
            "Before the second attempt Courier waits a random time up to this; the bound doubles for each"
                    + " further attempt (exponential backoff with full jitter).",
            ValueParsers.duration(Duration.ofMillis(1), Duration.ofHours(1)));

    public static final SettingKey<Duration> RETRY_BACKOFF_MAX = new SettingKey<>(
            "courier.retry.backoff-max", "duration 1ms..1d", "30s",
            "The most the doubling bound can reach.",
            ValueParsers.duration(Duration.ofMillis(1), Duration.ofDays(1)));

    public static final SettingKey<Duration> RETRY_AFTER_MAX = new SettingKey<>(
            "courier.retry.retry-after-max", "duration 0s..1d", "60s",
            "A Retry-After header (seconds or HTTP date) is honoured up to this wait; a longer one is cut to it.",
            ValueParsers.duration(Duration.ZERO, Duration.ofDays(1)));

    public static final SettingKey<CidrSet> EGRESS_ALLOW_CIDRS = new SettingKey<>(
            "courier.egress.allow-cidrs", "CIDR list", "",
            "Address blocks that free URLs (written in events) may reach despite the deny set (loopback, private,"
                    + " link-local, metadata and other special addresses, and this machine's own), e.g."
                    + " 127.0.0.1/32,10.20.0.0/16. Named targets need no exception.",
            ValueParsers.cidrs());

    public static final SettingKey<PortSet> EGRESS_ALLOWED_PORTS = new SettingKey<>(
            "courier.egress.allowed-ports", "port list", "80,443",
            "Ports free URLs may use: ports and ranges, e.g. 80,443,8000-8999 (1-65535 for all). Named targets"
                    + " may use any port.",
            ValueParsers.ports());

    public static final SettingKey<HostPatterns> EGRESS_ALLOW_HOSTS = new SettingKey<>(
            "courier.egress.allow-hosts", "host list", "",
            "When set, the only hosts free URLs may name: exact names and *. wildcards (*.example.com), compared"
                    + " lower-cased and as punycode. It narrows the policy; it opens no address in the deny set.",
            ValueParsers.hosts());

    public static final SettingKey<HostPatterns> EGRESS_DENY_HOSTS = new SettingKey<>(
            "courier.egress.deny-hosts", "host list", "",
            "Hosts free URLs may not name: exact names and *. wildcards, compared lower-cased and as punycode.",
            ValueParsers.hosts());

    public static final SettingKey<Boolean> EGRESS_REQUIRE_TARGET = new SettingKey<>(
            "courier.egress.require-target", "boolean", "false",
            "Call only events that name a configured target; an event with a url is refused (POLICY_REFUSED).",
            ValueParsers.bool());

    public static final SettingKey<Boolean> EGRESS_HTTPS_ONLY = new SettingKey<>(
            "courier.egress.https-only", "boolean", "false",
            "Free URLs (and redirects that leave a named target) must use https.",
            ValueParsers.bool());

    public static final SettingKey<java.util.Set<String>> REDACT_QUERY_PARAMS = new SettingKey<>(
            "courier.redact.query-params", "name list", "access_token,access-token,api_key,apikey,key,token,"
                    + "refresh_token,id_token,client_secret,secret,signature,sig,password,x-amz-signature,"
                    + "x-amz-credential,x-amz-security-token,x-goog-signature,x-goog-credential",
            "Query parameters whose values are written as [REDACTED] in results, dead letters and logs (names"
                    + " compared ignoring case), besides URL userinfo and credential headers. The default holds"
                    + " OAuth's and the cloud providers' signed-URL parameters; a list set here replaces it.",
            ValueParsers.names());

    public static final SettingKey<Boolean> DEAD_LETTERS_KEEP_RAW_VALUE = new SettingKey<>(
            "courier.dead-letters.keep-raw-value", "boolean", "false",
            "Keep the bytes of a record that cannot be decoded in its UNDECODABLE dead letter (rawValue). They are"
                    + " stored as received: credentials in them cannot be redacted. When false, the dead letter's"
                    + " message gives the value's length, SHA-256 and schema id instead.",
            ValueParsers.bool());

    public static final SettingKey<Integer> ADMIN_PORT = new SettingKey<>(
            "courier.admin.port", "integer 0..65535", "8080",
            "Port of courier run's admin HTTP server: /metrics (Prometheus), /health/live and /health/ready; 0 for"
                    + " a free one (logged at start). Keep it cluster-internal.",
            ValueParsers.integer(0, 65_535));

    public static final SettingKey<String> ADMIN_BIND = new SettingKey<>(
            "courier.admin.bind", "IP address", "127.0.0.1",
            "Address the admin server listens on: 127.0.0.1 keeps it on this machine; 0.0.0.0 (every interface, as"
                    + " probes and scrapers in a cluster need) requires courier.admin.token or"
                    + " courier.admin.allow-anonymous=true, or courier run refuses to start.",
            ValueParsers.ipAddress());

    public static final SettingKey<String> ADMIN_TOKEN = new SettingKey<>(
            "courier.admin.token", "reference", null,
            "When set, /metrics (and every admin endpoint but /health/*) requires Authorization: Bearer with this"
                    + " token, given by reference: ${env:VAR} or ${file:/path}, read once when courier run starts"
                    + " (courier status reads it when it uses it). Never printed.",
            ValueParsers.text());

    public static final SettingKey<Boolean> ADMIN_ALLOW_ANONYMOUS = new SettingKey<>(
            "courier.admin.allow-anonymous", "boolean", "false",
            "Let courier run serve /metrics and /requests/{id} without a token on an address other than loopback;"
                    + " only where a firewall or NetworkPolicy decides who reaches the admin port.",
            ValueParsers.bool());

    public static final SettingKey<Integer> METRICS_MAX_HOSTS = new SettingKey<>(
            "courier.metrics.max-hosts", "integer 1..10000", "100",
            "Distinct hosts (and rate-limit keys) named in metric labels; the hosts seen after these are counted"
                    + " under the label value other, so metrics stay bounded whatever URLs events carry.",
            ValueParsers.integer(1, 10_000));

    public static final SettingKey<LogFormat> LOG_FORMAT = new SettingKey<>(
            "courier.log.format", ValueParsers.labels(LogFormat.class), "auto",
            "How courier run writes log lines to standard error: json (one JSON object per line, with requestId and"
                    + " correlationId fields on lines about an event), text, or auto: json unless Courier runs on a"
                    + " terminal. courier demo and dev always write text.",
            ValueParsers.oneOf(LogFormat.class));

    public static final SettingKey<Duration> LOG_SUMMARY_INTERVAL = new SettingKey<>(
            "courier.log.summary-interval", "duration 0s..1d", "60s",
            "How often courier run logs a summary line (events, outcomes by kind, rate, lag, in flight); 0s for"
                    + " never.",
            ValueParsers.duration(Duration.ZERO, Duration.ofDays(1)));

    public static final SettingKey<Boolean> STATUS_ENABLED = new SettingKey<>(
            "courier.status.enabled", "boolean", "true",
            "Whether courier run writes each request's status to courier.topics.status (with its outcome, and when it"
                    + " starts waiting for a retry; courier replay when it replays it) and keeps the status view (a Kafka"
                    + " Streams application with the id GROUP-status, where GROUP is courier.group-id) that serves"
                    + " GET /requests/{id} on the admin port.",
            ValueParsers.bool());

    public static final SettingKey<Duration> STATUS_RETENTION = new SettingKey<>(
            "courier.status.retention", "duration 1s..365d", "7d",
            "How long a request's status is kept after its last change: the status topic's retention.ms (set by"
                    + " courier topics create), and how long the view answers for it (by the records' timestamps); older"
                    + " entries are removed from the view's memory, so it stays bounded.",
            ValueParsers.duration(Duration.ofSeconds(1), Duration.ofDays(365)));

    public static final SettingKey<String> STATUS_STATE_DIR = new SettingKey<>(
            "courier.status.state-dir", "directory", null,
            "Where the status view's Kafka Streams state lives (locks and checkpoints; the table itself is in memory"
                    + " and rebuilt from the status topic at start); a new temporary directory when unset.",
            ValueParsers.text());

    public static final SettingKey<String> STATUS_ADVERTISED_HOST = new SettingKey<>(
            "courier.status.advertised-host", "host", null,
            "Host at which the other instances reach this one's admin server, to forward GET /requests/{id} for the"
                    + " ids this instance holds; the admin bind address when unset (this machine's address when that is"
                    + " 0.0.0.0).",
            ValueParsers.text());

    public static final SettingKey<CidrSet> STATUS_PEERS = new SettingKey<>(
            "courier.status.peers", "CIDR list", "",
            "Addresses to which GET /requests/{id} may be forwarded, with the admin token, when another instance"
                    + " holds the id (e.g. the pod network, 10.0.0.0/8); any other address an instance advertises is"
                    + " not asked. When unset, the network of courier.admin.bind (every interface's network for"
                    + " 0.0.0.0).",
            ValueParsers.cidrs());

    /** {@code courier.targets.NAME.base-url}: the base URL of the target an event names instead of a URL. */
    public static final String TARGET_BASE_URL_PREFIX = "courier.targets.";
    public static final String TARGET_BASE_URL_SUFFIX = ".base-url";
    static final SettingKey<URI> TARGET_BASE_URL = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME" + TARGET_BASE_URL_SUFFIX, "http(s) URL", null,
            "Base URL of the named target NAME (letters, digits, - and _); an event with target NAME and"
                    + " path /p calls this URL followed by /p.",
            ValueParsers.httpUrl());

    static final SettingKey<String> TARGET_HEADER = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.headers.HEADER", "string or reference", null,
            "Header HEADER added to every call of target NAME; the value may be a reference such as ${env:VAR}."
                    + " Events may not set it.",
            ValueParsers.text());

    static final SettingKey<TargetAuth.Method> TARGET_AUTH = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.auth", "bearer|basic|header:NAME|oauth2", null,
            "How target NAME's auth-secret is sent: Authorization: Bearer, Authorization: Basic (the secret is"
                    + " user:password), or as the value of the named header; or oauth2: Authorization: Bearer with an"
                    + " access token from the target's oauth2.token-url. Events may not set that header.",
            ValueParsers.authMethod());

    static final SettingKey<String> TARGET_AUTH_SECRET = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.auth-secret", "reference", null,
            "The secret of target NAME's auth, by reference: ${env:VAR} or ${file:/path}, read once when courier"
                    + " run starts; a reference that cannot be read stops that start with this key named (other"
                    + " commands do not read it). Never printed.",
            ValueParsers.text());

    static final SettingKey<URI> TARGET_OAUTH2_TOKEN_URL = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.token-url", "http(s) URL", null,
            "auth=oauth2: the token endpoint that gives target NAME's access tokens (client credentials grant, RFC"
                    + " 6749 4.4). Like base-url it is the operator's, so it is called as the target is: its ca-file"
                    + " and client certificate, no proxy, no redirect followed. One token per target, shared by every"
                    + " worker, renewed before expires_in runs out and once after a 401.",
            ValueParsers.httpUrl());

    static final SettingKey<String> TARGET_OAUTH2_CLIENT_ID = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.client-id", "string or reference", null,
            "auth=oauth2: the client id at the token endpoint; may be a reference such as ${env:VAR}.",
            ValueParsers.text());

    static final SettingKey<String> TARGET_OAUTH2_CLIENT_SECRET = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.client-secret", "reference", null,
            "auth=oauth2: the client secret, by reference: ${env:VAR} or ${file:/path}, read once at start. Never"
                    + " printed, like the tokens it gets.",
            ValueParsers.text());

    static final SettingKey<String> TARGET_OAUTH2_SCOPE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.scope", "scopes, space-separated", null,
            "auth=oauth2: the scope asked for (scope=...); none when unset.",
            ValueParsers.oauth2Scope());

    static final SettingKey<String> TARGET_OAUTH2_AUDIENCE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.audience", "string", null,
            "auth=oauth2: the audience=... parameter some token endpoints require (Auth0 and others); none when"
                    + " unset.",
            ValueParsers.printableText());

    static final SettingKey<TargetOAuth2.ClientAuth> TARGET_OAUTH2_CLIENT_AUTH = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.oauth2.client-auth", ValueParsers.labels(TargetOAuth2.ClientAuth.class),
            "basic",
            "auth=oauth2: how the client authenticates to the token endpoint: basic (Authorization: Basic, which"
                    + " every token endpoint accepts) or post (client_id and client_secret in the form).",
            ValueParsers.oneOf(TargetOAuth2.ClientAuth.class));

    static final SettingKey<TargetSigning.Scheme> TARGET_SIGNING = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.signing", ValueParsers.labels(TargetSigning.Scheme.class), null,
            "Sign every call of target NAME as Standard Webhooks do: webhook-id (the event's idempotencyKey, else its"
                    + " id, so it is the same on every attempt and replay), webhook-timestamp (the attempt's time)"
                    + " and webhook-signature (v1, HMAC-SHA256 of id.timestamp.body, the body as sent). Events may"
                    + " not set those headers.",
            ValueParsers.oneOf(TargetSigning.Scheme.class));

    static final SettingKey<String> TARGET_SIGNING_SECRET = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.signing.secret", "reference", null,
            "signing: the secret, by reference (${env:VAR} or ${file:/path}, read once at start), in its whsec_ form:"
                    + " whsec_ and the base64 of 24 to 64 random bytes. Never printed.",
            ValueParsers.text());

    static final SettingKey<String> TARGET_SIGNING_PREVIOUS_SECRET = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.signing.previous-secret", "reference", null,
            "signing, while the secret is rotated: the secret being replaced, by reference. Each call then carries"
                    + " two signatures, so receivers verify with either secret; remove it once they all have the new"
                    + " one.",
            ValueParsers.text());

    static final SettingKey<java.nio.file.Path> TARGET_CA_FILE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.ca-file", "PEM file", null,
            "CA certificates (PEM) that target NAME's certificate must chain to, instead of the system's."
                    + " Certificates are always verified.",
            ValueParsers.readableFile());

    static final SettingKey<java.nio.file.Path> TARGET_CLIENT_CERT_FILE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.client-cert-file", "PEM file", null,
            "Client certificate (PEM, leaf first, then its chain) for mutual TLS with target NAME; set together"
                    + " with client-key-file.",
            ValueParsers.readableFile());

    static final SettingKey<java.nio.file.Path> TARGET_CLIENT_KEY_FILE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.client-key-file", "PEM file", null,
            "Private key of the client certificate (PEM, PKCS#8: BEGIN PRIVATE KEY).",
            ValueParsers.readableFile());

    static final SettingKey<Duration> TARGET_CONNECT_TIMEOUT = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.connect-timeout", "duration 100ms..5m", null,
            "courier.http.connect-timeout for target NAME.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

    static final SettingKey<Duration> TARGET_CALL_TIMEOUT = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.call-timeout", "duration 100ms..1h", null,
            "courier.http.call-timeout for target NAME (within courier.http.max-call-timeout).",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofHours(1)));

    static final SettingKey<Integer> TARGET_MAX_ATTEMPTS = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.max-attempts", "integer 1..100", null,
            "courier.retry.max-attempts for target NAME; an event's maxAttempts may lower it.",
            ValueParsers.integer(1, 100));

    static final SettingKey<Double> TARGET_RATE = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.rate", "events/s, decimal", null,
            "Most attempts per second to target NAME, in one bucket (rate-limit key target:NAME) whatever the"
                    + " events' rateLimitKey; 0 for no per-key limit.",
            ValueParsers.rate(1_000_000));

    static final SettingKey<java.util.Set<String>> TARGET_ALLOW_ROUTING_HEADERS = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME.allow-routing-headers", "header list", null,
            "Routing headers that events naming target NAME may set (e.g. X-Forwarded-For); events may set none of"
                    + " them otherwise (X-Forwarded-*, Forwarded, X-Original-URL, X-Rewrite-URL,"
                    + " X-HTTP-Method-Override, X-Real-IP and the like choose the host, path or method behind a proxy).",
            ValueParsers.headerNames());

    /** The keys of a target after {@code courier.targets.NAME.}, but for {@code headers.HEADER}. */
    static final java.util.Map<String, SettingKey<?>> TARGET_KEYS = java.util.Map.ofEntries(
            java.util.Map.entry("base-url", TARGET_BASE_URL), java.util.Map.entry("auth", TARGET_AUTH),
            java.util.Map.entry("auth-secret", TARGET_AUTH_SECRET),
            java.util.Map.entry("oauth2.token-url", TARGET_OAUTH2_TOKEN_URL),
            java.util.Map.entry("oauth2.client-id", TARGET_OAUTH2_CLIENT_ID),
            java.util.Map.entry("oauth2.client-secret", TARGET_OAUTH2_CLIENT_SECRET),
            java.util.Map.entry("oauth2.scope", TARGET_OAUTH2_SCOPE),
            java.util.Map.entry("oauth2.audience", TARGET_OAUTH2_AUDIENCE),
            java.util.Map.entry("oauth2.client-auth", TARGET_OAUTH2_CLIENT_AUTH),
            java.util.Map.entry("signing", TARGET_SIGNING), java.util.Map.entry("signing.secret", TARGET_SIGNING_SECRET),
            java.util.Map.entry("signing.previous-secret", TARGET_SIGNING_PREVIOUS_SECRET),
            java.util.Map.entry("ca-file", TARGET_CA_FILE),
            java.util.Map.entry("client-cert-file", TARGET_CLIENT_CERT_FILE),
            java.util.Map.entry("client-key-file", TARGET_CLIENT_KEY_FILE),
            java.util.Map.entry("connect-timeout", TARGET_CONNECT_TIMEOUT),
            java.util.Map.entry("call-timeout", TARGET_CALL_TIMEOUT),
            java.util.Map.entry("max-attempts", TARGET_MAX_ATTEMPTS), java.util.Map.entry("rate", TARGET_RATE),
            java.util.Map.entry("allow-routing-headers", TARGET_ALLOW_ROUTING_HEADERS));

    /** The keys with a fixed name, in the order of docs/configuration.md. */
    public static final List<SettingKey<?>> ALL = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD, REGISTRY_TIMEOUT, REGISTRY_CACHE_SIZE,
            REGISTRY_AUTO_REGISTER,
            TOPIC_REQUESTS, TOPIC_RESULTS, TOPIC_DEAD_LETTERS, TOPIC_STATUS, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
            GROUP_ID, CONNECT_TIMEOUT,
            WORKERS, MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_KEY, ORDERING, COMMIT_INTERVAL, COMMIT_TIMEOUT, DELIVERY_GUARANTEE,
            TRANSACTIONAL_ID,
            DRAIN_TIMEOUT,
            RATE_SCOPE, RATE_GLOBAL, RATE_GLOBAL_BURST, RATE_PER_KEY, RATE_PER_KEY_BURST, RATE_OVERRIDES,
            RATE_MAX_KEYS, RATE_ADAPTIVE, RATE_DECREASE_FACTOR, RATE_FLOOR, RATE_INCREASE_AFTER,
            CIRCUIT_WINDOW, CIRCUIT_FAILURE_RATIO, CIRCUIT_OPEN_WAIT, CIRCUIT_PROBES,
            HTTP_CONNECT_TIMEOUT, HTTP_READ_TIMEOUT, HTTP_WRITE_TIMEOUT, HTTP_CALL_TIMEOUT, HTTP_MAX_CALL_TIMEOUT,
            HTTP_FOLLOW_REDIRECTS, HTTP_MAX_REDIRECTS, HTTP_MAX_REQUEST_BYTES, HTTP_MAX_REQUEST_HEADERS,
            HTTP_MAX_HEADER_BYTES, HTTP_MAX_RESPONSE_BYTES, HTTP_PER_HOST_CONCURRENCY,
            HTTP_KEEP_ALIVE, HTTP_IDEMPOTENCY_KEY_FROM_ID, HTTP_SUCCESS_STATUSES, HTTP_RETRY_STATUSES,
            RETRY_MAX_ATTEMPTS, RETRY_BACKOFF_INITIAL, RETRY_BACKOFF_MAX, RETRY_AFTER_MAX,
            EGRESS_ALLOW_CIDRS, EGRESS_ALLOWED_PORTS, EGRESS_ALLOW_HOSTS, EGRESS_DENY_HOSTS, EGRESS_REQUIRE_TARGET,
            EGRESS_HTTPS_ONLY, REDACT_QUERY_PARAMS, DEAD_LETTERS_KEEP_RAW_VALUE,
            ADMIN_PORT, ADMIN_BIND, ADMIN_TOKEN, ADMIN_ALLOW_ANONYMOUS, METRICS_MAX_HOSTS, LOG_FORMAT, LOG_SUMMARY_INTERVAL,
            STATUS_ENABLED, STATUS_RETENTION, STATUS_STATE_DIR, STATUS_ADVERTISED_HOST, STATUS_PEERS);

    /** Every documented key, the target pattern included, in the order of docs/configuration.md. */
    public static List<SettingKey<?>> documented() {
        return java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(TARGET_BASE_URL, TARGET_HEADER,
                TARGET_AUTH, TARGET_AUTH_SECRET, TARGET_OAUTH2_TOKEN_URL, TARGET_OAUTH2_CLIENT_ID,
                TARGET_OAUTH2_CLIENT_SECRET, TARGET_OAUTH2_SCOPE, TARGET_OAUTH2_AUDIENCE, TARGET_OAUTH2_CLIENT_AUTH,
                TARGET_SIGNING, TARGET_SIGNING_SECRET, TARGET_SIGNING_PREVIOUS_SECRET, TARGET_CA_FILE, TARGET_CLIENT_CERT_FILE, TARGET_CLIENT_KEY_FILE,
                TARGET_CONNECT_TIMEOUT, TARGET_CALL_TIMEOUT, TARGET_MAX_ATTEMPTS, TARGET_RATE,
                TARGET_ALLOW_ROUTING_HEADERS)).toList();
    }

    private SettingKeys() {
    }

    /** Kafka's rule for topic names: 1 to 249 of letters, digits, '.', '_' and '-', not "." or "..". */
    private static ValueParser<String> topicName() {
        return text -> {
            String name = text.trim();
            if (name.matches("[a-zA-Z0-9._-]{1,249}") && !name.equals(".") && !name.equals("..")) {
                return name;
            }
            throw new IllegalArgumentException("must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
        };
    }
}
