package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry contract against the stand-in, plus what only the stand-in is checked for. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryStandInTest extends RegistryContract {

    private static RegistryStandIn standIn;

    @BeforeAll
    static void startStandIn() {
        standIn = RegistryStandIn.start(RegistryStandIn.Options.defaults());
    }

    @AfterAll
    static void closeStandIn() {
        standIn.close();
    }

    @Override
    URI registryUrl() {
        return standIn.url();
    }

    @Test
    void theUrlIsOnLoopbackWithoutATrailingSlash() {
        assertThat(standIn.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void versionsAreListedOldestFirstAndCanBeFetchedByNumberOrMinusOne() throws Exception {
        String subject = uniqueSubject();
        int v1 = register(subject, V1).body().get("id").asInt();
        int v2 = register(subject, V2_WITH_DEFAULT).body().get("id").asInt();

        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1,2]");
        assertThat(get("/subjects/" + encode(subject) + "/versions/1").body().get("id").asInt()).isEqualTo(v1);
        assertThat(get("/subjects/" + encode(subject) + "/versions/2").body().get("id").asInt()).isEqualTo(v2);
        assertThat(get("/subjects/" + encode(subject) + "/versions/-1").body().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aVersionAnswerHasConfluentsFieldsInConfluentsOrder() throws Exception {
        String subject = uniqueSubject();
        int id = register(subject, V1).body().get("id").asInt();

        JsonNode version = get("/subjects/" + encode(subject) + "/versions/1").body();

        assertThat(version.fieldNames()).toIterable().containsExactly("subject", "version", "id", "schema");
        assertThat(version.get("id").asInt()).isEqualTo(id);
        assertThat(version.get("schema").asText()).isEqualTo(parse(V1).toString());
    }

    @Test
    void registeringAnOlderVersionAgainReturnsItsIdWithoutANewVersion() throws Exception {
        String subject = uniqueSubject();
        int v1 = register(subject, V1).body().get("id").asInt();
        register(subject, V2_WITH_DEFAULT);

        assertThat(register(subject, V1).body().get("id").asInt()).isEqualTo(v1);
        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1,2]");
    }

    @Test
    void schemasThatDifferOnlyInWhitespaceShareAnId() throws Exception {
        int id = register(uniqueSubject(), V1).body().get("id").asInt();

        String spaced = V1.replace(",", " ,\n  ").replace(":", " : ");
        assertThat(register(uniqueSubject(), spaced).body().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void anIncompatibleSchemaExplainsTheIncompatibility() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        Reply refused = register(subject, V2_WITHOUT_DEFAULT);

        assertThat(refused.body().get("message").asText())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "note", "{oldSchemaVersion: 1}", "BACKWARD");
        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void aSchemaTypeOtherThanAvroIsRefusedWith42201() throws Exception {
        String body = "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}";

        assertError(post("/subjects/" + uniqueSubject() + "/versions", body, "application/json"), 422, 42201);
    }

    @Test
    void anExplicitAvroSchemaTypeIsAccepted() throws Exception {
        String body = "{\"schemaType\":\"AVRO\",\"schema\":\"\\\"string\\\"\"}";

        Reply reply = post("/subjects/" + uniqueSubject() + "/versions", body, "application/json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("id").asInt()).isPositive();
    }

    @Test
    void aMissingSchemaIsRefusedWith42201() throws Exception {
        assertError(post("/subjects/" + uniqueSubject() + "/versions", "{}", "application/json"), 422, 42201);
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() throws Exception {
        assertError(post("/subjects/" + uniqueSubject() + "/versions", "{not json", "application/json"), 400, 400);
    }

    @Test
    void registrationAcceptsBothJsonMediaTypesAndNoneAndRefusesOthers() throws Exception {
        String body = "{\"schema\":\"\\\"long\\\"\"}";
        String path = "/subjects/" + uniqueSubject() + "/versions";

        assertThat(post(path, body, "application/json; charset=utf-8").status()).isEqualTo(200);
        assertThat(post(path, body, "application/vnd.schemaregistry.v1+json").status()).isEqualTo(200);
        assertThat(post(path, body, null).status()).isEqualTo(200);
        assertError(post(path, body, "text/plain"), 415, 415);
    }

    @Test
    void aVersionThatIsNotAPositiveNumberIsRefusedWith42202() throws Exception {
        String subject = uniqueSubject();
        register(subject, V1);

        assertError(get("/subjects/" + encode(subject) + "/versions/abc"), 422, 42202);
        assertError(get("/subjects/" + encode(subject) + "/versions/0"), 422, 42202);
    }

    @Test
    void unknownPathsAreNotFoundAndWrongMethodsAreNotAllowed() throws Exception {
        assertError(get("/exporters"), 404, 404);
        assertError(get("/subjects/x/versions/1/schema"), 404, 404);
        assertError(send(request("/subjects").DELETE()), 405, 405);
        assertError(post("/schemas/ids/1", "{}", "application/json"), 405, 405);
    }

    @Test
    void aSubjectWithoutALevelOfItsOwnIsNotFoundWith40408UnlessTheGlobalOneIsAskedFor() throws Exception {
        String config = "/config/" + encode(uniqueSubject());

        assertError(get(config), 404, 40408);
        assertThat(get(config + "?defaultToGlobal=true").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void theGlobalLevelAppliesToSubjectsWithoutOneAndTransitiveLevelsCompareWithEveryVersion() throws Exception {
        try (RegistryStandIn own = RegistryStandIn.start(RegistryStandIn.Options.defaults())) {
            RegistryContract registry = new RegistryContract() {
                @Override
                URI registryUrl() {
                    return own.url();
                }
            };
            String subject = uniqueSubject();
            String v3WithoutId = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"dev.courier.test\","
                    + "\"fields\":[{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";
            assertThat(registry.put("/config", "{\"compatibility\":\"none\"}").body().get("compatibility").asText())
                    .isEqualTo("NONE");
            registry.register(subject, V1);
            assertThat(registry.register(subject, V2_WITHOUT_DEFAULT).status()).as("NONE accepts anything").isEqualTo(200);

            registry.put("/config", "{\"compatibility\":\"FORWARD_TRANSITIVE\"}");

            assertThat(registry.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FORWARD_TRANSITIVE");
            Reply refused = registry.register(subject, v3WithoutId);
            assertThat(refused.status()).as("versions 1 and 2 cannot read data without id").isEqualTo(409);
            assertThat(refused.body().get("message").asText()).contains("{compatibility: 'FORWARD_TRANSITIVE'}");
        }
    }

    @Test
    void checkingAgainstTheLatestVersionOfASubjectWithoutVersionsIsCompatible() throws Exception {
        Reply reply = post("/compatibility/subjects/" + encode(uniqueSubject()) + "/versions/latest", schemaBody(V1),
                JSON_TYPE);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void versionNumbersGoOnAfterASoftDeleteAndASchemaRegisteredAgainGetsANewVersionWithItsId() throws Exception {
        String subject = uniqueSubject();
        int id = register(subject, V1).body().get("id").asInt();
        send(request("/subjects/" + encode(subject)).DELETE());

        assertThat(register(subject, V1).body().get("id").asInt()).isEqualTo(id);
        assertThat(get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[2]");
    }

    @Test
    void queryParametersArePercentDecodedAndTheFirstOfARepeatedNameWins() {
        assertThat(RegistryHttpHandler.decodeQuery("permanent=true&subject=a%2Fb&permanent=false&flag"))
                .containsEntry("permanent", "true").containsEntry("subject", "a/b").containsEntry("flag", "");
        assertThat(RegistryHttpHandler.decodeQuery(null)).isEmpty();
    }

    @Test
    void subjectsInPathsArePercentDecodedAndPlusSignsStay() throws Exception {
        String subject = "orders value/" + uniqueSubject() + "+x";
        register(subject, V1);

        assertThat(get("/subjects").body()).extracting(JsonNode::asText).contains(subject);
        assertThat(get("/subjects/" + encode(subject) + "/versions/latest").body().get("subject").asText())
                .isEqualTo(subject);
    }

    @Test
    void concurrentRegistrationsOfOneSchemaUnderManySubjectsGetOneId() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"Concurrent\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> registrations = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                registrations.add(() -> register(uniqueSubject(), schema).body().get("id").asInt());
            }
            Set<Integer> ids = new HashSet<>();
            for (Future<Integer> id : pool.invokeAll(registrations, 30, TimeUnit.SECONDS)) {
                ids.add(id.get());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withBasicAuthOnlyTheRightCredentialsAreServed() throws Exception {
        try (RegistryStandIn secured = RegistryStandIn.start(
                RegistryStandIn.Options.defaults().withBasicAuth("courier", "s3cret"))) {
            RegistryContract client = clientOf(secured.url());

            Reply anonymous = client.get("/subjects");
            assertError(anonymous, 401, 401);
            assertThat(anonymous.body().get("message").asText()).isEqualTo("Unauthorized");
            assertError(client.send(client.request("/subjects").header("Authorization", basic("courier", "wrong")).GET()),
                    401, 401);
            assertThat(client.send(client.request("/subjects").header("Authorization", basic("courier", "s3cret")).GET())
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void credentialsDoNotShowTheirPassword() {
        assertThat(new RegistryStandIn.BasicAuth("courier", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void aTakenPortFailsWithAMessageNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> RegistryStandIn.start(RegistryStandIn.Options.defaults().withPort(port)))
                    .isInstanceOf(SandboxStartupException.class)
                    .hasMessage("port " + port + " is already in use; choose another or 0 for a free port");
        }
    }

    @Test
    void afterCloseNothingIsServedAndCloseCanBeRepeated() throws Exception {
        RegistryStandIn closing = RegistryStandIn.start(RegistryStandIn.Options.defaults());
        RegistryContract client = clientOf(closing.url());
        assertThat(client.get("/subjects").status()).isEqualTo(200);

        closing.close();
        closing.close();

        assertThatThrownBy(() -> client.get("/subjects")).isInstanceOf(ConnectException.class);
    }

    private static RegistryContract clientOf(URI url) {
        return new RegistryContract() {
            @Override
            URI registryUrl() {
                return url;
            }
        };
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
