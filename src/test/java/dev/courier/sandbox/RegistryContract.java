package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * What Courier relies on from a schema registry, asserted over HTTP. The same assertions run
 * against the stand-in ({@link RegistryStandInTest}) and, where Docker is available, against
 * Confluent's own registry ({@link ConfluentRegistryContainerIT}), so the stand-in cannot drift
 * from the real thing unnoticed. Subjects are unique per test: a real registry keeps state.
 */
abstract class RegistryContract {

    static final String V1 = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.courier.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.courier.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";
    static final String V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.courier.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"}]}";

    /** What kafkajs' client sends as Content-Type. */
    static final String KAFKAJS_MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String JSON_TYPE = "application/json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The registry under test, e.g. {@code http://127.0.0.1:8081}. */
    abstract URI registryUrl();

    /** Headers every request carries, e.g. credentials; none by default. */
    HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request;
    }

    @Test
    void registeringTheSameSchemaTwiceUnderASubjectReturnsTheSameIdAndOneVersion() throws Exception {
        String subject = uniqueSubject();
        Reply first = register(subject, V1);
        Reply second = register(subject, V1);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("id").asInt()).isEqualTo(first.body().get("id").asInt());
        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectGetsTheSameGlobalId() throws Exception {
        int id = register(uniqueSubject(), V1).body().get("id").asInt();

        assertThat(register(uniqueSubject(), V1).body().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void aRegisteredSchemaIsFetchedByItsId() throws Exception {
        int id = register(uniqueSubject(), V1).body().get("id").asInt();

        Reply reply = get("/schemas/ids/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(parse(reply.body().get("schema").asText())).isEqualTo(parse(V1));
    }

    @Test
    void latestDescribesTheLastRegisteredVersion() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);
        int id = register(subject, V2_WITH_DEFAULT).body().get("id").asInt();

        Reply latest = get("/subjects/" + encode(subject) + "/versions/latest");

        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.body().get("subject").asText()).isEqualTo(subject);
        assertThat(latest.body().get("version").asInt()).isEqualTo(2);
        assertThat(latest.body().get("id").asInt()).isEqualTo(id);
        assertThat(parse(latest.body().get("schema").asText())).isEqualTo(parse(V2_WITH_DEFAULT));
        assertThat(get("/subjects/" + encode(subject) + "/versions/1").body().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aFieldWithoutADefaultIsRefusedAsBackwardIncompatible() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        Reply refused = register(subject, V2_WITHOUT_DEFAULT);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"");
    }

    @Test
    void anInvalidSchemaIsRefusedWith42201() throws Exception {
        Reply refused = register(uniqueSubject(), "{\"type\":\"record\",\"name\":\"Broken\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("error_code").asInt()).isEqualTo(42201);
        assertThat(refused.body().get("message").asText()).startsWith("Invalid schema");
    }

    @Test
    void unknownSubjectsVersionsAndIdsAreNotFoundWithTheirOwnCodes() throws Exception {
        String subject = uniqueSubject();
        assertError(get("/subjects/" + encode(subject) + "/versions/latest"), 404, 40401);
        assertError(get("/subjects/" + encode(subject) + "/versions"), 404, 40401);
        assertError(get("/schemas/ids/2000000000"), 404, 40403);

        register(subject, V1);
        assertError(get("/subjects/" + encode(subject) + "/versions/7"), 404, 40402);
    }

    @Test
    void registeredSubjectsAreListed() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        Reply subjects = get("/subjects");

        assertThat(subjects.status()).isEqualTo(200);
        assertThat(subjects.body().isArray()).isTrue();
        assertThat(subjects.body()).extracting(JsonNode::asText).contains(subject);
    }

    // ---- the calls of common Confluent clients ----

    /**
     * kafkajs' {@code @kafkajs/confluent-schema-registry} {@code register(schema, {subject})} with its default options:
     * it reads the subject's compatibility, sets it to BACKWARD when the subject has none (a 404), then registers; a
     * second register finds BACKWARD set. {@code decode} then fetches the schema by id.
     */
    @Test
    void kafkajsRegistersASchemaWithItsDefaultOptions() throws Exception {
        String subject = uniqueSubject();
        String config = "/config/" + encode(subject);
        String schemaBody = JSON.writeValueAsString(JSON.createObjectNode().put("schemaType", "AVRO").put("schema", V1));

        assertThat(get(config).status()).as("a subject without a level of its own").isEqualTo(404);
        Reply set = put(config, "{\"compatibility\":\"BACKWARD\"}");
        Reply registered = post("/subjects/" + encode(subject) + "/versions", schemaBody, KAFKAJS_MEDIA_TYPE);
        Reply again = get(config);
        Reply registeredAgain = post("/subjects/" + encode(subject) + "/versions", schemaBody, KAFKAJS_MEDIA_TYPE);
        Reply fetched = get("/schemas/ids/" + registered.body().get("id").asInt());

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().get("compatibility").asText()).isEqualTo("BACKWARD");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(again.body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(registeredAgain.body().get("id").asInt()).isEqualTo(registered.body().get("id").asInt());
        assertThat(parse(fetched.body().get("schema").asText())).isEqualTo(parse(V1));
    }

    /**
     * Confluent's Java {@code KafkaAvroSerializer} and deserializer: registering with {@code auto.register.schemas}
     * (the default), looking the schema up without it, the latest version with {@code use.latest.version}, and the
     * deserializer's fetch by id; each with the query parameters those clients add.
     */
    @Test
    void confluentsJavaSerializerRegistersLooksUpAndFetches() throws Exception {
        String subject = uniqueSubject();
        String schemaBody = JSON.writeValueAsString(JSON.createObjectNode().put("schema", V1));

        Reply registered = post("/subjects/" + encode(subject) + "/versions?normalize=false", schemaBody,
                "application/vnd.schemaregistry.v1+json");
        int id = registered.body().get("id").asInt();
        Reply lookedUp = post("/subjects/" + encode(subject) + "?normalize=false&deleted=false", schemaBody,
                "application/vnd.schemaregistry.v1+json");
        Reply latest = get("/subjects/" + encode(subject) + "/versions/latest");
        Reply fetched = get("/schemas/ids/" + id + "?fetchMaxId=false&subject=" + encode(subject));

        assertThat(registered.status()).isEqualTo(200);
        assertThat(lookedUp.status()).isEqualTo(200);
        assertThat(lookedUp.body().get("subject").asText()).isEqualTo(subject);
        assertThat(lookedUp.body().get("version").asInt()).isEqualTo(1);
        assertThat(lookedUp.body().get("id").asInt()).isEqualTo(id);
        assertThat(latest.body().get("id").asInt()).isEqualTo(id);
        assertThat(parse(fetched.body().get("schema").asText())).isEqualTo(parse(V1));
    }

    @Test
    void aLookupOfASchemaTheSubjectDoesNotHaveIsNotFound() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        assertError(post("/subjects/" + encode(subject), schemaBody(V2_WITH_DEFAULT), JSON_TYPE), 404, 40403);
        assertError(post("/subjects/" + encode(uniqueSubject()), schemaBody(V1), JSON_TYPE), 404, 40401);
    }

    @Test
    void theCompatibilityCheckAnswersWithoutRegistering() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);
        String check = "/compatibility/subjects/" + encode(subject) + "/versions/";

        Reply compatible = post(check + "latest", schemaBody(V2_WITH_DEFAULT), JSON_TYPE);
        Reply incompatible = post(check + "1?verbose=true", schemaBody(V2_WITHOUT_DEFAULT), JSON_TYPE);

        assertThat(compatible.status()).isEqualTo(200);
        assertThat(compatible.body().get("is_compatible").asBoolean()).isTrue();
        assertThat(incompatible.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.body().get("messages")).isNotEmpty();
        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1]");
        assertError(post(check + "7", schemaBody(V2_WITH_DEFAULT), JSON_TYPE), 404, 40402);
    }

    @Test
    void aSubjectsOwnCompatibilityLevelDecidesWhatItAccepts() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        Reply set = put("/config/" + encode(subject), "{\"compatibility\":\"FORWARD\"}");
        Reply registered = register(subject, V2_WITHOUT_DEFAULT);

        assertThat(set.body().get("compatibility").asText()).isEqualTo("FORWARD");
        assertThat(get("/config/" + encode(subject)).body().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(registered.status()).as("FORWARD: the old schema can read the new one's data").isEqualTo(200);
        assertThat(get("/config").body().get("compatibilityLevel").asText()).as("the global level is unchanged")
                .isEqualTo("BACKWARD");
        assertError(put("/config/" + encode(subject), "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    }

    @Test
    void theSubjectsAndVersionsOfASchemaIdAreListed() throws Exception {
        String first = uniqueSubject();
        String second = uniqueSubject();
        int id = register(first, V1).body().get("id").asInt();
        register(second, V1);

        Reply versions = get("/schemas/ids/" + id + "/versions");

        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.body().toString()).contains("{\"subject\":\"" + first + "\",\"version\":1}",
                "{\"subject\":\"" + second + "\",\"version\":1}");
        assertError(get("/schemas/ids/2000000000/versions"), 404, 40403);
    }

    @Test
    void deletesAreSoftFirstAndPermanentOnlyAfterwards() throws Exception {
        String subject = uniqueSubject();
        String path = "/subjects/" + encode(subject);
        register(subject, V1);
        register(subject, V2_WITH_DEFAULT);

        assertError(send(request(path + "/versions/1?permanent=true").DELETE()), 404, 40407);
        assertThat(send(request(path + "/versions/latest").DELETE()).body().asInt()).isEqualTo(2);
        assertError(send(request(path + "/versions/2").DELETE()), 404, 40406);
        assertThat(get(path + "/versions").body().toString()).isEqualTo("[1]");
        assertError(send(request(path + "?permanent=true").DELETE()), 404, 40405);
        assertThat(send(request(path).DELETE()).body().toString()).isEqualTo("[1]");
        assertError(get(path + "/versions"), 404, 40401);
        assertError(send(request(path).DELETE()), 404, 40404);
        assertThat(send(request(path + "?permanent=true").DELETE()).status()).isEqualTo(200);
        assertError(send(request(path).DELETE()), 404, 40401);
    }

    // ---- helpers ----

    record Reply(int status, String contentType, JsonNode body) {}

    static String uniqueSubject() {
        return "contract-" + UUID.randomUUID() + "-value";
    }

    Reply register(String subject, String schema) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
        return post("/subjects/" + encode(subject) + "/versions", body, "application/vnd.schemaregistry.v1+json");
    }

    Reply post(String path, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    Reply put(String path, String body) throws IOException, InterruptedException {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json"));
    }

    static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(authorize(request).build(), HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Reply(response.statusCode(), contentType, body);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(registryUrl().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.schemaregistry.v1+json");
    }

    static void assertError(Reply reply, int status, int errorCode) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().get("error_code").asInt()).as("error_code of %s", reply.body()).isEqualTo(errorCode);
        assertThat(reply.body().get("message").asText()).isNotBlank();
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }
}
