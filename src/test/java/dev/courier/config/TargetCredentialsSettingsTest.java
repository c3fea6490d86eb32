package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of OAuth2 targets and signed targets: what is read, the defaults, and one test per rule. */
class TargetCredentialsSettingsTest {

    private static final String CLIENT_SECRET = "client-secret-canary-51c3";
    /** whsec_ and the base64 of 32 bytes 0..31. */
    private static final String SIGNING_SECRET = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 0));
    private static final String PREVIOUS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(bytes(24, 100));

    @TempDir
    Path dir;

    private static byte[] bytes(int length, int first) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    private static Settings load(Map<String, String> environment, String... pairs) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            overrides.put(pairs[i], pairs[i + 1]);
        }
        return SettingsLoader.load(SettingSources.none().withEnvironment(environment).withOverrides(overrides));
    }

    private static final Map<String, String> ENV = Map.of("PAY_SECRET", CLIENT_SECRET, "HOOK_SECRET", SIGNING_SECRET,
            "OLD_HOOK_SECRET", PREVIOUS_SECRET, "PAY_CLIENT", "courier-client");

    private static Settings oauth2(String... more) {
        String[] pairs = new String[10 + more.length];
        System.arraycopy(new String[] {
            "courier.targets.pay.base-url", "https://pay.example.com/v1",
            "courier.targets.pay.auth", "oauth2",
            "courier.targets.pay.oauth2.token-url", "https://auth.example.com/oauth/token",
            "courier.targets.pay.oauth2.client-id", "courier",
            "courier.targets.pay.oauth2.client-secret", "${env:PAY_SECRET}"}, 0, pairs, 0, 10);
        System.arraycopy(more, 0, pairs, 10, more.length);
        return load(ENV, pairs);
    }

    private static TargetSettings target(Settings settings, String name) {
        return settings.target(name).orElseThrow();
    }

    @Test
    void anOAuth2TargetIsReadWithItsSecretResolvedAndBasicClientAuthByDefault() {
        TargetSettings pay = target(oauth2(), "pay");

        assertThat(pay.auth()).isNull();
        TargetOAuth2 oauth2 = pay.oauth2();
        assertThat(oauth2.tokenUrl()).isEqualTo(URI.create("https://auth.example.com/oauth/token"));
        assertThat(oauth2.clientId()).isEqualTo("courier");
        assertThat(oauth2.clientSecret().value()).isEqualTo(CLIENT_SECRET);
        assertThat(oauth2.scope()).isNull();
        assertThat(oauth2.audience()).isNull();
        assertThat(oauth2.clientAuth()).isEqualTo(TargetOAuth2.ClientAuth.BASIC);
        assertThat(pay.injectedHeaders()).contains("authorization");
        assertThat(pay.toString()).contains("https://auth.example.com/oauth/token", "courier")
                .doesNotContain(CLIENT_SECRET);
    }

    @Test
    void scopeAudienceAndPostClientAuthAreRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), CLIENT_SECRET + "\n");
        TargetSettings pay = target(oauth2("courier.targets.pay.oauth2.scope", " payments:write  payments:read ",
                "courier.targets.pay.oauth2.audience", "https://pay.example.com",
                "courier.targets.pay.oauth2.client-auth", "post",
                "courier.targets.pay.oauth2.client-id", "${env:PAY_CLIENT}",
                "courier.targets.pay.oauth2.client-secret", "${file:" + secret + "}"), "pay");

        assertThat(pay.oauth2().scope()).isEqualTo("payments:write payments:read");
        assertThat(pay.oauth2().audience()).isEqualTo("https://pay.example.com");
        assertThat(pay.oauth2().clientAuth()).isEqualTo(TargetOAuth2.ClientAuth.POST);
        assertThat(pay.oauth2().clientId()).isEqualTo("courier-client");
        assertThat(pay.oauth2().clientSecret().value()).isEqualTo(CLIENT_SECRET);
    }

    @Test
    void oauth2WithoutItsTokenUrlClientIdOrSecretIsRefusedNamingWhatIsMissing() {
        assertThatThrownBy(() -> load(ENV, "courier.targets.pay.base-url", "https://pay.example.com",
                "courier.targets.pay.auth", "oauth2", "courier.targets.pay.oauth2.client-id", "courier"))
                .hasMessageContaining("courier.targets.pay.auth=oauth2 needs courier.targets.pay.oauth2.token-url,"
                        + " courier.targets.pay.oauth2.client-secret");
    }

    @Test
    void oauth2KeysWithoutAuthOauth2AreRefused() {
        assertThatThrownBy(() -> load(ENV, "courier.targets.pay.base-url", "https://pay.example.com",
                "courier.targets.pay.oauth2.token-url", "https://auth.example.com/token"))
                .hasMessageContaining("courier.targets.pay.oauth2.token-url need courier.targets.pay.auth=oauth2");
    }

    @Test
    void anAuthSecretBesideOauth2IsRefused() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.auth-secret", "${env:PAY_SECRET}"))
                .hasMessageContaining("courier.targets.pay.auth-secret does not go with courier.targets.pay.auth=oauth2");
    }

    @Test
    void aClientSecretWrittenOutIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.client-secret", CLIENT_SECRET))
                .hasMessageContaining("courier.targets.pay.oauth2.client-secret")
                .hasMessageContaining("must be a reference such as ${env:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_SECRET));
    }

    @Test
    void aClientSecretWhoseReferenceCannotBeReadStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.client-secret", "${env:NOT_SET}"))
                .hasMessageContaining("courier.targets.pay.oauth2.client-secret (from -Dcourier.targets.pay.oauth2.client-secret)")
                .hasMessageContaining("refers to environment variable NOT_SET, which is not set");
    }

    @Test
    void aTokenUrlWithAQueryOrCredentialsOrAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.token-url", "https://auth.example.com/t?x=1"))
                .hasMessageContaining("courier.targets.pay.oauth2.token-url").hasMessageContaining("query");
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.token-url", "https://u:p@auth.example.com/t"))
                .hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.token-url", "ftp://auth.example.com/t"))
                .hasMessageContaining("must be an absolute http or https URL");
    }

    @Test
    void aScopeWithQuotesOrAnUnknownClientAuthIsRefused() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.scope", "a \"b\""))
                .hasMessageContaining("courier.targets.pay.oauth2.scope").hasMessageContaining("scopes separated");
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.client-auth", "jwt"))
                .hasMessageContaining("courier.targets.pay.oauth2.client-auth").hasMessageContaining("basic|post");
    }

    @Test
    void anAuthorizationHeaderBesideOauth2IsRefused() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.headers.Authorization", "Bearer x"))
                .hasMessageContaining("courier.targets.pay.headers.Authorization and courier.targets.pay.auth=oauth2"
                        + " both set header Authorization");
    }

    @Test
    void aSignedTargetIsReadWithBothSecretsHiddenAndItsHeadersReserved() {
        TargetSettings hooks = target(load(ENV, "courier.targets.hooks.base-url", "https://hooks.example.com/in",
                "courier.targets.hooks.signing", "standard-webhooks",
                "courier.targets.hooks.signing.secret", "${env:HOOK_SECRET}",
                "courier.targets.hooks.signing.previous-secret", "${env:OLD_HOOK_SECRET}"), "hooks");

        assertThat(hooks.signing().key()).isEqualTo(bytes(32, 0));
        assertThat(hooks.signing().previousKey()).isEqualTo(bytes(24, 100));
        assertThat(hooks.injectedHeaders()).contains("webhook-id", "Webhook-Timestamp", "WEBHOOK-SIGNATURE");
        assertThat(hooks.toString()).contains("standard-webhooks").doesNotContain(SIGNING_SECRET)
                .doesNotContain(PREVIOUS_SECRET);
    }

    @Test
    void aSigningSecretThatIsNotAWhsecKeyOfTwentyFourToSixtyFourBytesIsRefusedWithoutShowingIt() {
        Map<String, String> environment = Map.of(
                "PLAIN", "not-a-whsec-secret-canary",
                "NOT_BASE64", "whsec_***canary***",
                "SHORT", "whsec_" + Base64.getEncoder().encodeToString(bytes(23, 0)),
                "LONG", "whsec_" + Base64.getEncoder().encodeToString(bytes(65, 0)));
        for (Map.Entry<String, String> bad : Map.of("PLAIN", "must be a Standard Webhooks secret: whsec_",
                "NOT_BASE64", "followed by base64", "SHORT", "holds a key of 23 bytes",
                "LONG", "holds a key of 65 bytes").entrySet()) {
            assertThatThrownBy(() -> load(environment, "courier.targets.hooks.base-url", "https://hooks.example.com",
                    "courier.targets.hooks.signing", "standard-webhooks",
                    "courier.targets.hooks.signing.secret", "${env:" + bad.getKey() + "}"))
                    .as(bad.getKey())
                    .hasMessageContaining("courier.targets.hooks.signing.secret (from -Dcourier.targets.hooks.signing.secret)")
                    .hasMessageContaining(bad.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(environment.get(bad.getKey())));
        }
    }

    @Test
    void signingWithoutASecretASecretWithoutSigningAndAnUnknownSchemeAreRefused() {
        assertThatThrownBy(() -> load(ENV, "courier.targets.hooks.base-url", "https://hooks.example.com",
                "courier.targets.hooks.signing", "standard-webhooks"))
                .hasMessageContaining("courier.targets.hooks.signing needs courier.targets.hooks.signing.secret");
        assertThatThrownBy(() -> load(ENV, "courier.targets.hooks.base-url", "https://hooks.example.com",
                "courier.targets.hooks.signing.secret", "${env:HOOK_SECRET}"))
                .hasMessageContaining("courier.targets.hooks.signing.secret need courier.targets.hooks.signing"
                        + "=standard-webhooks");
        assertThatThrownBy(() -> load(ENV, "courier.targets.hooks.base-url", "https://hooks.example.com",
                "courier.targets.hooks.signing", "hmac", "courier.targets.hooks.signing.secret", "${env:HOOK_SECRET}"))
                .hasMessageContaining("courier.targets.hooks.signing=\"hmac\"")
                .hasMessageContaining("must be one of standard-webhooks");
    }

    @Test
    void aWebhookHeaderBesideSigningIsRefused() {
        assertThatThrownBy(() -> load(ENV, "courier.targets.hooks.base-url", "https://hooks.example.com",
                "courier.targets.hooks.signing", "standard-webhooks",
                "courier.targets.hooks.signing.secret", "${env:HOOK_SECRET}",
                "courier.targets.hooks.headers.Webhook-Id", "fixed"))
                .hasMessageContaining("courier.targets.hooks.headers.Webhook-Id sets Webhook-Id, which"
                        + " courier.targets.hooks.signing adds to every call");
    }

    @Test
    void environmentVariablesSetTheNewKeysOfATargetWhoseNameHoldsUnderscores() {
        Map<String, String> environment = new HashMap<>(ENV);
        environment.put("COURIER_COURIER_TARGETS_PAY_API_BASE_URL", "https://pay.example.com");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_AUTH", "oauth2");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_TOKEN_URL", "https://auth.example.com/token");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_CLIENT_ID", "courier");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_CLIENT_SECRET", "${env:PAY_SECRET}");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_CLIENT_AUTH", "post");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_SCOPE", "write");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_OAUTH2_AUDIENCE", "pay");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_SIGNING", "standard-webhooks");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_SIGNING_SECRET", "${env:HOOK_SECRET}");
        environment.put("COURIER_COURIER_TARGETS_PAY_API_SIGNING_PREVIOUS_SECRET", "${env:OLD_HOOK_SECRET}");

        TargetSettings pay = target(load(environment), "pay_api");

        assertThat(pay.oauth2().clientAuth()).isEqualTo(TargetOAuth2.ClientAuth.POST);
        assertThat(pay.oauth2().scope()).isEqualTo("write");
        assertThat(pay.oauth2().audience()).isEqualTo("pay");
        assertThat(pay.oauth2().clientSecret().value()).isEqualTo(CLIENT_SECRET);
        assertThat(pay.signing().secret().value()).isEqualTo(SIGNING_SECRET);
        assertThat(pay.signing().previousSecret().value()).isEqualTo(PREVIOUS_SECRET);
    }

    @Test
    void aMistypedOAuth2KeyIsRefusedWithTheNearestKeySuggested() {
        assertThatThrownBy(() -> oauth2("courier.targets.pay.oauth2.token-uri", "https://auth.example.com/t"))
                .hasMessageContaining("unknown setting courier.targets.pay.oauth2.token-uri")
                .hasMessageContaining("did you mean courier.targets.pay.oauth2.token-url?");
    }
}
