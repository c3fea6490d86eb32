package dev.courier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.avro.RequestEvent;
import dev.courier.avro.ResultEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpSchemaRegistryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = RequestEvent.getClassSchema();

    private final MockWebServer server = new MockWebServer();
    private String url;

    @BeforeEach
    void start() throws IOException {
        server.start(0);
        url = server.url("/").toString().replaceAll("/$", "");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchemaRegistryClient.Builder client() {
        return SchemaRegistryClient.builder(URI.create(url));
    }

    /** The client the builder makes, but taking a first "schema not found" as final (see FollowerLagRetryTest). */
    private SchemaRegistryClient clientAskingOnce() {
        FollowerLagRetry noRepeats = new FollowerLagRetry(List.of(), Duration.ZERO, System::nanoTime, nanos -> {
            throw new AssertionError("no wait expected");
        });
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(URI.create(url), null,
                SchemaRegistryClient.Builder.DEFAULT_REQUEST_TIMEOUT, noRepeats), 1_000);
    }

    @Test
    void registerPostsTheSchemaAsAJsonStringUnderTheUrlEncodedSubject() throws Exception {
        server.enqueue(json(200, Map.of("id", 7)));

        int id = client().build().register("orders/eu west-value", SCHEMA);

        assertThat(id).isEqualTo(7);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/subjects/orders%2Feu%20west-value/versions");
        assertThat(request.getHeaders().get("Content-Type"))
                .isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.getHeaders().get("Accept"))
                .isEqualTo("application/vnd.schemaregistry.v1+json, application/json");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        JsonNode body = JSON.readTree(request.getBody().utf8());
        assertThat(body.size()).isEqualTo(1);
        assertThat(new Schema.Parser().parse(body.get("schema").textValue())).isEqualTo(SCHEMA);
    }

    @Test
    void fetchByIdGetsTheSchemaOfThatId() throws Exception {
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));

        Schema schema = client().build().schemaById(42);

        assertThat(schema).isEqualTo(SCHEMA);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/schemas/ids/42");
        assertThat(request.getHeaders().get("Accept")).contains("application/json");
    }

    @Test
    void latestGetsTheLatestVersionOfTheSubject() throws Exception {
        server.enqueue(json(200, Map.of("subject", "results-value", "version", 3, "id", 12,
                "schema", ResultEvent.getClassSchema().toString())));

        SchemaRegistryClient.SubjectVersion latest = client().build().latest("results-value");

        assertThat(latest).isEqualTo(new SchemaRegistryClient.SubjectVersion(
                "results-value", 3, 12, ResultEvent.getClassSchema()));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/subjects/results-value/versions/latest");
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsIt() throws Exception {
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));

        SchemaRegistryClient.builder(URI.create(url + "/registry/")).build().schemaById(1);

        assertThat(server.takeRequest().getTarget()).isEqualTo("/registry/schemas/ids/1");
    }

    @Test
    void basicAuthIsSentOnEveryRequest() throws Exception {
        server.enqueue(json(200, Map.of("id", 1)));
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));
        SchemaRegistryClient client = client().basicAuth("courier", "s3cr:t").build();

        client.register("a-value", SCHEMA);
        client.schemaById(1);

        String expected = "Basic " + Base64.getEncoder()
                .encodeToString("courier:s3cr:t".getBytes(StandardCharsets.UTF_8));
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo(expected);
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo(expected);
    }

    @Test
    void aSecondFetchOfTheSameIdMakesNoRequest() throws Exception {
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));
        SchemaRegistryClient client = client().build();

        Schema first = client.schemaById(5);
        Schema second = client.schemaById(5);

        assertThat(second).isSameAs(first);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aSecondRegistrationOfTheSameSchemaUnderTheSameSubjectMakesNoRequest() throws Exception {
        server.enqueue(json(200, Map.of("id", 9)));
        server.enqueue(json(200, Map.of("id", 10)));
        SchemaRegistryClient client = client().build();

        assertThat(client.register("a-value", SCHEMA)).isEqualTo(9);
        assertThat(client.register("a-value", SCHEMA)).isEqualTo(9);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(client.register("b-value", SCHEMA)).isEqualTo(10);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void theCacheSizeBoundsTheSchemasKept() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.enqueue(json(200, Map.of("schema", SCHEMA.toString())));
        }
        SchemaRegistryClient client = client().cacheSize(2).build();
        for (int id = 1; id <= 3; id++) {
            client.schemaById(id);
        }

        for (int id = 1; id <= 3; id++) {
            client.schemaById(id);
        }

        assertThat(server.getRequestCount()).as("three ids, at most two kept").isGreaterThanOrEqualTo(4);
    }

    @Test
    void latestIsNeverCachedBecauseASubjectGainsVersions() throws Exception {
        server.enqueue(json(200, Map.of("subject", "a-value", "version", 1, "id", 1,
                "schema", SCHEMA.toString())));
        server.enqueue(json(200, Map.of("subject", "a-value", "version", 2, "id", 4,
                "schema", SCHEMA.toString())));
        SchemaRegistryClient client = client().build();

        assertThat(client.latest("a-value").version()).isEqualTo(1);
        assertThat(client.latest("a-value").version()).isEqualTo(2);
    }

    @Test
    void anUnknownIdIsNotFoundAndTheMessageNamesRegistryIdStatusAndConfluentError() {
        server.enqueue(json(404, Map.of("error_code", 40403, "message", "Schema 7 not found")));

        assertThatThrownBy(() -> clientAskingOnce().schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessage("schema registry " + url + " answered HTTP 404 (error_code 40403: "
                        + "Schema 7 not found) while fetching schema id 7");
    }

    @Test
    void anUnknownSubjectIsNotFoundAndTheMessageNamesTheSubject() {
        server.enqueue(json(404, Map.of("error_code", 40401, "message", "Subject 'x-value' not found.")));

        assertThatThrownBy(() -> client().build().latest("x-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND))
                .hasMessageContaining("subject \"x-value\"")
                .hasMessageContaining("40401");
    }

    @Test
    void anUnknownIdIsRememberedSoTheNextLookupMakesNoRequest() {
        server.enqueue(json(404, Map.of("error_code", 40403, "message", "Schema 7 not found")));
        SchemaRegistryClient client = clientAskingOnce();

        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a404WithoutAConfluentErrorCodeIsRefusedNotNotFoundSinceTheUrlMayBeWrong() {
        server.enqueue(new MockResponse.Builder().code(404).body("<html>Not Found</html>").build());

        assertThatThrownBy(() -> client().build().schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED))
                .hasMessageContaining("answered HTTP 404 (<html>Not Found</html>)")
                .hasMessageContaining("may not point at a schema registry");
    }

    @Test
    void aServerErrorIsTransient() {
        server.enqueue(json(500, Map.of("error_code", 50001, "message", "Error in the backend data store")));

        assertThatThrownBy(() -> client().build().register("orders-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                    assertThat(e.isTransient()).isTrue();
                })
                .hasMessage("schema registry " + url + " answered HTTP 500 (error_code 50001: Error in "
                        + "the backend data store) while registering a schema under subject \"orders-value\"");
    }

    @Test
    void tooManyRequestsIsTransient() {
        server.enqueue(new MockResponse.Builder().code(429).build());

        assertThatThrownBy(() -> client().build().schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithTheSubjectNamed() {
        server.enqueue(json(409, Map.of("error_code", 409,
                "message", "Schema being registered is incompatible with an earlier schema")));

        assertThatThrownBy(() -> client().build().register("orders-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED);
                    assertThat(e.httpStatus()).isEqualTo(409);
                })
                .hasMessageContaining("answered HTTP 409 (error_code 409: Schema being registered is "
                        + "incompatible with an earlier schema) while registering a schema under subject "
                        + "\"orders-value\"");
    }

    @Test
    void wrongCredentialsAreRefused() {
        server.enqueue(json(401, Map.of("error_code", 40101, "message", "Unauthorized")));

        assertThatThrownBy(() -> client().basicAuth("u", "wrong").build().schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED))
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void aClosedPortIsUnreachableAndTransient() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SchemaRegistryClient client =
                SchemaRegistryClient.builder(URI.create("http://127.0.0.1:" + port)).build();

        assertThatThrownBy(() -> client.schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                    assertThat(e.httpStatus()).isZero();
                })
                .hasMessage("schema registry http://127.0.0.1:" + port
                        + " is unreachable (connection refused) while fetching schema id 7");
    }

    @Test
    void aRegistryThatDoesNotAnswerInTimeIsUnreachable() {
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())).newBuilder()
                .headersDelay(2, TimeUnit.SECONDS).build());
        SchemaRegistryClient client = client().requestTimeout(Duration.ofMillis(200)).build();

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
                .hasMessage("schema registry " + url
                        + " is unreachable (no answer within 200 ms) while fetching schema id 3");
    }

    @Test
    @Timeout(20)
    void anAnswerThatTricklesInIsCutAtTheTimeout() {
        server.enqueue(json(200, Map.of("schema", SCHEMA.toString())).newBuilder()
                .throttleBody(16, 1, TimeUnit.SECONDS).build()); // headers at once, the body over minutes
        SchemaRegistryClient client = client().requestTimeout(Duration.ofMillis(300)).build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
                .hasMessage("schema registry " + url
                        + " is unreachable (no answer within 300 ms) while fetching schema id 3");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anAnswerThatIsNotJsonIsRefused() {
        server.enqueue(new MockResponse.Builder().body("hello").build());

        assertThatThrownBy(() -> client().build().schemaById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REFUSED))
                .hasMessage("schema registry " + url
                        + " answered with a body that is not JSON while fetching schema id 3");
    }

    @Test
    void aSchemaThatIsNotAvroIsRefused() {
        server.enqueue(json(200, Map.of("schemaType", "PROTOBUF", "schema", "syntax = \"proto3\";")));

        assertThatThrownBy(() -> client().build().schemaById(3))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("a PROTOBUF schema, not an Avro one while fetching schema id 3");
    }

    @Test
    void theBuilderRefusesInvalidSettingsNamingThem() {
        assertThatThrownBy(() -> SchemaRegistryClient.builder(URI.create("localhost:8081")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema registry URL must be an absolute http or https URL");
        assertThatThrownBy(() -> SchemaRegistryClient.builder(URI.create("ftp://host")).build())
                .hasMessageContaining("absolute http or https URL, got \"ftp://host\"");
        assertThatThrownBy(() -> SchemaRegistryClient.builder(URI.create("http://u:p@host")).build())
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> client().requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("request timeout must be positive, got PT0S");
        assertThatThrownBy(() -> client().cacheSize(0).build())
                .hasMessageContaining("cache size must be at least 1, got 0");
        assertThatThrownBy(() -> client().basicAuth("", "p").build())
                .hasMessageContaining("username must not be empty");
    }

    private static MockResponse json(int code, Map<String, ?> body) {
        try {
            return new MockResponse.Builder()
                    .code(code)
                    .setHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                    .body(JSON.writeValueAsString(body))
                    .build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
