package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void withNoSourcesEverySettingTakesItsDocumentedDefault() {
        Settings settings = SettingsLoader.load(SettingSources.none());

        assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.registry().url()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(settings.registry().credentials()).isEmpty();
        assertThat(settings.registry().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.registry().autoRegister()).isTrue();
        assertThat(settings.topics().requests()).isEqualTo("courier.requests");
        assertThat(settings.topics().results()).isEqualTo("courier.results");
        assertThat(settings.topics().deadLetters()).isEqualTo("courier.dead-letters");
        assertThat(settings.topics().partitions()).isEqualTo(6);
        assertThat(settings.topics().replication()).isEmpty();
        assertThat(settings.groupId()).isEqualTo("courier");
        assertThat(settings.targets()).isEmpty();
    }

    @Test
    void environmentOverridesTheFileAndDashDOverridesTheEnvironment() throws IOException {
        Path file = write("courier.topics.requests=from-file\ncourier.topics.results=file-results\ncourier.group-id=file-group\n");

        Settings settings = SettingsLoader.load(SettingSources.none()
                .withFile(file)
                .withEnvironment(Map.of(
                        "COURIER_COURIER_TOPICS_REQUESTS", "from-env",
                        "COURIER_COURIER_GROUP_ID", "env-group"))
                .withOverrides(Map.of("courier.group-id", "override-group")));

        assertThat(settings.topics().results()).isEqualTo("file-results");
        assertThat(settings.topics().requests()).isEqualTo("from-env");
        assertThat(settings.groupId()).isEqualTo("override-group");
    }

    @Test
    void systemPropertiesSitBetweenTheEnvironmentAndTheCommandLine() {
        Settings settings = SettingsLoader.load(SettingSources.none()
                .withEnvironment(Map.of("COURIER_COURIER_GROUP_ID", "env", "COURIER_COURIER_TOPICS_RESULTS", "env"))
                .withSystemProperties(Map.of("courier.group-id", "jvm", "courier.topics.results", "jvm",
                        "java.version", "17"))
                .withOverrides(Map.of("courier.group-id", "cli")));

        assertThat(settings.topics().results()).isEqualTo("jvm");
        assertThat(settings.groupId()).isEqualTo("cli");
    }

    @Test
    void kafkaKeysPassToTheClientsWithThePrefixRemoved() throws IOException {
        Path file = write("kafka.bootstrap.servers=broker:9093\nkafka.security.protocol=SASL_SSL\n");

        Settings settings = SettingsLoader.load(SettingSources.none()
                .withFile(file)
                .withEnvironment(Map.of("COURIER_KAFKA_SASL_MECHANISM", "PLAIN")));

        assertThat(settings.kafka().clientProperties()).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void kafkaCredentialsAreHiddenWhenSettingsArePrinted() {
        Settings settings = SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";",
                "kafka.ssl.truststore.password", "hunter2",
                "courier.schema-registry.username", "courier",
                "courier.schema-registry.password", "hunter2")));

        assertThat(settings.toString()).doesNotContain("hunter2").contains("courier");
        assertThat(settings.registry().credentials()).get()
                .satisfies(auth -> assertThat(auth.password().value()).isEqualTo("hunter2"));
    }

    @Test
    void namedTargetsComeFromPatternKeysInFilesAndEnvironment() throws IOException {
        Path file = write("courier.targets.payments-api.base-url=https://payments.example.com/v1\n");

        Settings settings = SettingsLoader.load(SettingSources.none()
                .withFile(file)
                .withEnvironment(Map.of("COURIER_COURIER_TARGETS_MAIL_BASE_URL", "http://mail.internal:8080")));

        assertThat(settings.targetBaseUrl("payments-api")).contains(URI.create("https://payments.example.com/v1"));
        assertThat(settings.targetBaseUrl("mail")).contains(URI.create("http://mail.internal:8080"));
        assertThat(settings.targetBaseUrl("unknown")).isEmpty();
    }

    @Test
    void anUnknownCourierKeyIsRefusedWithTheNearestKnownKey() throws IOException {
        Path file = write("courier.topic.requests=x\n");

        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withFile(file)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("unknown setting courier.topic.requests (from " + file.getFileName()
                        + "); did you mean courier.topics.requests?");
    }

    @Test
    void anUnknownKeyWithNoNearNeighbourPointsToTheSettingsPage() {
        assertThatThrownBy(() -> load("courier.completely-different", "x"))
                .hasMessageContaining("unknown setting courier.completely-different (from -Dcourier.completely-different)")
                .hasMessageContaining("docs/configuration.md lists every setting");
    }

    @Test
    void aKafkaSettingWithoutItsPrefixIsRefusedWithTheHint() {
        assertThatThrownBy(() -> load("bootstrap.servers", "broker:9092"))
                .hasMessageContaining("unknown setting bootstrap.servers")
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void aMisspelledTargetSuffixSuggestsTheBaseUrlKey() {
        assertThatThrownBy(() -> load("courier.targets.mail.base-ulr", "http://x"))
                .hasMessageContaining("did you mean courier.targets.mail.base-url?");
    }

    @Test
    void anUnknownCourierEnvironmentVariableIsRefusedWithTheNearestKnownOne() {
        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none()
                .withEnvironment(Map.of("COURIER_COURIER_TOPICS_REQUEST", "x"))))
                .hasMessage("unknown environment variable COURIER_COURIER_TOPICS_REQUEST; did you mean COURIER_COURIER_TOPICS_REQUESTS?");
    }

    @Test
    void environmentVariablesOutsideCouriersPrefixesAreIgnored() {
        Settings settings = SettingsLoader.load(SettingSources.none()
                .withEnvironment(Map.of("COURIER_PORT", "tcp://10.0.0.1:8080", "COURIER_SERVICE_HOST", "10.0.0.1",
                        "PATH", "/usr/bin")));

        assertThat(settings.groupId()).isEqualTo("courier");
    }

    @Test
    void aBadIntegerNamesTheKeyTheValueTheOriginAndTheRange() {
        assertThatThrownBy(() -> load("courier.topics.partitions", "lots"))
                .hasMessage("courier.topics.partitions=\"lots\" (from -Dcourier.topics.partitions) must be an integer between 1 and 10000");
    }

    @Test
    void anIntegerOutOfRangeIsRefused() {
        assertThatThrownBy(() -> load("courier.topics.partitions", "0"))
                .hasMessageContaining("must be an integer between 1 and 10000");
    }

    @Test
    void aBadDurationSaysWhatADurationLooksLike() {
        assertThatThrownBy(() -> load("courier.schema-registry.timeout", "ten seconds"))
                .hasMessageContaining("courier.schema-registry.timeout=\"ten seconds\"")
                .hasMessageContaining("must be a duration between 100ms and 5m, such as 500ms, 30s or 5m");
    }

    @Test
    void durationsAcceptUnitsAndIsoForm() {
        assertThat(load("courier.schema-registry.timeout", "1500ms").registry().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(load("courier.schema-registry.timeout", "2m").registry().timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(load("courier.schema-registry.timeout", "PT30S").registry().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aBadBooleanIsRefused() {
        assertThatThrownBy(() -> load("courier.schema-registry.auto-register", "yes"))
                .hasMessageContaining("must be true or false");
    }

    @Test
    void aRegistryUrlMustBeAbsoluteHttp() {
        assertThatThrownBy(() -> load("courier.schema-registry.url", "localhost:8081"))
                .hasMessageContaining("courier.schema-registry.url=\"localhost:8081\"")
                .hasMessageContaining("must be an absolute http or https URL");
    }

    @Test
    void aRegistryUrlMustNotCarryCredentials() {
        assertThatThrownBy(() -> load("courier.schema-registry.url", "http://user:pw@registry:8081"))
                .hasMessageContaining("must not carry credentials");
    }

    @Test
    void aTargetBaseUrlMustNotHaveAQuery() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com/v1?x=1"))
                .hasMessageContaining("courier.targets.api.base-url=\"https://api.example.com/v1?x=1\"")
                .hasMessageContaining("must not have a query or fragment");
    }

    @Test
    void aTopicNameMustBeLegalForKafka() {
        assertThatThrownBy(() -> load("courier.topics.results", "my results"))
                .hasMessageContaining("must be a Kafka topic name");
    }

    @Test
    void registryUsernameWithoutPasswordIsRefused() {
        assertThatThrownBy(() -> load("courier.schema-registry.username", "courier"))
                .hasMessage("courier.schema-registry.username and courier.schema-registry.password must be set together");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        SettingsException problems = org.junit.jupiter.api.Assertions.assertThrows(SettingsException.class,
                () -> SettingsLoader.load(SettingSources.none().withOverrides(Map.of(
                        "courier.topics.partitions", "x",
                        "courier.schema-registry.timeout", "y",
                        "courier.nope", "z"))));

        assertThat(problems.problems()).hasSize(3);
        assertThat(problems.getMessage()).startsWith("3 settings problems: ");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withFile(missing)))
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void aCommentAfterAValueInTheFileIsRefusedNamingTheKeyAndTheLine() throws IOException {
        Path file = write("courier.targets.payments.base-url=https://payments.example\n"
                + "# a comment on a line of its own is fine\n"
                + "courier.targets.payments.headers.X-Tenant=acme          # a value may also be ${env:VAR}\n");

        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withFile(file)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("courier.targets.payments.headers.X-Tenant (from app.properties, line 3) ends in a comment"
                        + " (\"# a value may also be ${env:VAR}\"), which a .properties file keeps as part of the value;"
                        + " put the comment on a line of its own, or write \\# for a # that belongs to the value");
    }

    @Test
    void aCommentAfterASecretReferenceIsRefusedAsACommentNotReadAsTheSecret() throws IOException {
        Path file = write("courier.admin.token=${env:ADMIN_TOKEN}   # or ${file:/run/secrets/admin-token}\n"
                + "courier.group-id=payments\t# the team's group\n");

        assertThatThrownBy(() -> SettingsLoader.load(SettingSources.none().withFile(file)
                .withEnvironment(Map.of("ADMIN_TOKEN", "s3cret-token"))))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("2 settings problems: courier.admin.token (from app.properties, line 1) ends"
                        + " in a comment (\"# or ${file:/run/secrets/admin-token}\")")
                .hasMessageContaining("courier.group-id (from app.properties, line 2) ends in a comment")
                .hasMessageNotContaining("secret itself")
                .hasMessageNotContaining("s3cret-token");
    }

    @Test
    void aHashIsPartOfTheValueWhenEscapedOrNotAfterWhitespace() throws IOException {
        Path file = write("kafka.client.rack=rack \\#1\nkafka.client.id=client#1\n");

        Settings settings = SettingsLoader.load(SettingSources.none().withFile(file));

        assertThat(settings.kafka().clientProperties()).containsEntry("client.rack", "rack #1")
                .containsEntry("client.id", "client#1");
    }

    @Test
    void theEnvironmentVariableOfAKeyFollowsTheDocumentedRule() {
        assertThat(SettingKeys.KAFKA_BOOTSTRAP_SERVERS.environmentVariable()).isEqualTo("COURIER_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(SettingKeys.TOPIC_DEAD_LETTERS.environmentVariable()).isEqualTo("COURIER_COURIER_TOPICS_DEAD_LETTERS");
    }

    private Settings load(String key, String value) {
        return SettingsLoader.load(SettingSources.none().withOverrides(Map.of(key, value)));
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, content);
        return file;
    }
}
