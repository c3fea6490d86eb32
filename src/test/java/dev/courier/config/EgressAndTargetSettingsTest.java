package dev.courier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The egress, redaction and named-target settings: defaults, forms, secrets by reference, one test per rule. */
class EgressAndTargetSettingsTest {

    @TempDir
    Path dir;

    private static Settings load(Map<String, String> environment, String... pairs) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            overrides.put(pairs[i], pairs[i + 1]);
        }
        return SettingsLoader.load(SettingSources.none().withEnvironment(environment).withOverrides(overrides));
    }

    private static Settings load(String... pairs) {
        return load(Map.of(), pairs);
    }

    @Test
    void byDefaultThePolicyHasNoExceptionsAndAllowsPorts80And443() throws Exception {
        Settings settings = Settings.defaults();

        assertThat(settings.egress().allowCidrs().isEmpty()).isTrue();
        assertThat(settings.egress().allowedPorts().contains(80)).isTrue();
        assertThat(settings.egress().allowedPorts().contains(443)).isTrue();
        assertThat(settings.egress().allowedPorts().contains(8080)).isFalse();
        assertThat(settings.egress().requireTarget()).isFalse();
        assertThat(settings.egress().httpsOnly()).isFalse();
        assertThat(settings.http().maxRedirects()).isEqualTo(5);
        assertThat(settings.http().maxRequestHeaders()).isEqualTo(64);
        assertThat(settings.http().maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(settings.redactQueryParams()).containsExactlyInAnyOrder("access_token", "access-token", "api_key",
                "apikey", "key", "token", "refresh_token", "id_token", "client_secret", "secret", "signature", "sig",
                "password", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature",
                "x-goog-credential");
    }

    @Test
    void cidrsPortRangesAndHostPatternsAreRead() throws Exception {
        Settings settings = load("courier.egress.allow-cidrs", "127.0.0.1/32, 10.20.0.0/16,fd00::/8",
                "courier.egress.allowed-ports", "80,443,8000-8999", "courier.egress.allow-hosts", "*.Example.COM,bücher.example");

        assertThat(settings.egress().allowCidrs().contains(InetAddress.getByName("10.20.9.9"))).isTrue();
        assertThat(settings.egress().allowCidrs().contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(settings.egress().allowCidrs().contains(InetAddress.getByName("fd00::5"))).isTrue();
        assertThat(settings.egress().allowedPorts().contains(8500)).isTrue();
        assertThat(settings.egress().allowedPorts().contains(9000)).isFalse();
        assertThat(settings.egress().allowHosts().matches("api.example.com")).isTrue();
        assertThat(settings.egress().allowHosts().matches("example.com")).isFalse();
        assertThat(settings.egress().allowHosts().matches("xn--bcher-kva.example")).isTrue();
    }

    @Test
    void anAmbiguousOrMalformedCidrIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("courier.egress.allow-cidrs", "127.1/32"))
                .hasMessageContaining("courier.egress.allow-cidrs=\"127.1/32\"")
                .hasMessageContaining("has \"127.1/32\", which is not an address block in CIDR notation");
    }

    @Test
    void aPortOutOfRangeOrABackwardRangeIsRefused() {
        assertThatThrownBy(() -> load("courier.egress.allowed-ports", "0,443"))
                .hasMessageContaining("must be TCP ports (1 to 65535)");
        assertThatThrownBy(() -> load("courier.egress.allowed-ports", "9000-8000"))
                .hasMessageContaining("courier.egress.allowed-ports");
    }

    @Test
    void aHostPatternWithAnInnerWildcardIsRefused() {
        assertThatThrownBy(() -> load("courier.egress.deny-hosts", "api.*.example.com"))
                .hasMessageContaining("neither a host name nor a wildcard such as *.example.com");
    }

    @Test
    void aTargetsSecretIsReadFromTheEnvironmentItWasGiven() {
        Settings settings = load(Map.of("PAYMENTS_TOKEN", "tok-1"),
                "courier.targets.payments.base-url", "https://payments.example.com",
                "courier.targets.payments.auth", "bearer",
                "courier.targets.payments.auth-secret", "${env:PAYMENTS_TOKEN}",
                "courier.targets.payments.headers.X-Tenant", "acme",
                "courier.targets.payments.max-attempts", "2",
                "courier.targets.payments.call-timeout", "3s",
                "courier.targets.payments.rate", "5");

        TargetSettings target = settings.target("payments").orElseThrow();
        assertThat(target.auth().headerValue()).isEqualTo("Bearer tok-1");
        assertThat(target.headers().get("X-Tenant").value()).isEqualTo("acme");
        assertThat(target.injectedHeaders()).containsExactlyInAnyOrder("Authorization", "X-Tenant");
        assertThat(target.maxAttempts()).isEqualTo(2);
        assertThat(target.callTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.rate().rateFor(RateSettings.targetKey("payments"))).isEqualTo(5.0);
        assertThat(settings.toString()).doesNotContain("tok-1").doesNotContain("acme");
    }

    @Test
    void aTargetsSecretIsReadFromAFileWithoutItsLineEnd() throws IOException {
        Path secret = Files.writeString(dir.resolve("token"), "user:pa55\n");

        Settings settings = load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "basic", "courier.targets.api.auth-secret", "${file:" + secret + "}");

        assertThat(settings.target("api").orElseThrow().auth().secret().value()).isEqualTo("user:pa55");
    }

    @Test
    void aMissingSecretIsAStartUpErrorNamingTheKey() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "bearer", "courier.targets.api.auth-secret", "${env:NOT_SET}"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("courier.targets.api.auth-secret (from -Dcourier.targets.api.auth-secret) refers to"
                        + " environment variable NOT_SET, which is not set");
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "bearer", "courier.targets.api.auth-secret", "${file:/nonexistent/t}"))
                .hasMessageContaining("refers to file /nonexistent/t, which cannot be read");
    }

    @Test
    void aSecretWrittenOutInsteadOfReferencedIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "bearer", "courier.targets.api.auth-secret", "sk_live_written_out"))
                .hasMessageContaining("must be a reference such as ${env:PAYMENTS_TOKEN}")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk_live_written_out"));
    }

    @Test
    void authAndItsSecretGoTogetherAndBasicNeedsAUserAndPassword() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "bearer")).hasMessageContaining("courier.targets.api.auth needs"
                        + " courier.targets.api.auth-secret");
        assertThatThrownBy(() -> load(Map.of("T", "no-colon"), "courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "basic", "courier.targets.api.auth-secret", "${env:T}"))
                .hasMessageContaining("must hold user:password");
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth", "digest")).hasMessageContaining("must be bearer, basic, header:NAME");
    }

    @Test
    void aTargetMayNotSetHeadersThatChangeWhereTheCallGoes() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.headers.Host", "admin.internal"))
                .hasMessageContaining("courier.targets.api.headers.Host sets Host");
    }

    @Test
    void aTargetWithoutABaseUrlOrWithHalfAClientCertificateIsRefused() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> load("courier.targets.api.max-attempts", "2"))
                .hasMessageContaining("courier.targets.api.base-url is required");
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.client-cert-file", cert.toString()))
                .hasMessageContaining("client-cert-file and courier.targets.api.client-key-file must be set together");
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.ca-file", "/nonexistent/ca.pem"))
                .hasMessageContaining("must be a file that exists and can be read");
    }

    @Test
    void theAdminServerListensOnLoopbackByDefaultAndAnonymousAccessIsOff() {
        Settings settings = Settings.defaults();

        assertThat(settings.ops().adminBind()).isEqualTo("127.0.0.1");
        assertThat(settings.ops().allowAnonymous()).isFalse();
        assertThat(settings.ops().anonymousExposure()).isNull();
        assertThat(load("courier.admin.bind", "0.0.0.0").ops().anonymousExposure())
                .startsWith("courier.admin.bind=0.0.0.0 ");
        assertThat(load("courier.admin.bind", "0.0.0.0", "courier.admin.allow-anonymous", "true").ops()
                .anonymousExposure()).isNull();
    }

    @Test
    void aTargetListsTheRoutingHeadersItsEventsMaySet() {
        Settings settings = load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.allow-routing-headers", "X-Forwarded-For, X-Real-IP");

        assertThat(settings.targets().get("api").allowedRoutingHeaders())
                .containsExactlyInAnyOrder("x-forwarded-for", "x-real-ip");
        assertThat(load("courier.targets.api.base-url", "https://api.example.com").targets().get("api")
                .allowedRoutingHeaders()).isEmpty();
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.allow-routing-headers", "X Forwarded"))
                .hasMessageContaining("courier.targets.api.allow-routing-headers");
    }

    @Test
    void aTargetsCallTimeoutMayNotExceedTheMaximum() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.call-timeout", "10m"))
                .hasMessageContaining("courier.targets.api.call-timeout (10m) must not exceed courier.http.max-call-timeout");
    }

    @Test
    void aMistypedTargetKeyIsRefusedWithTheNearestOne() {
        assertThatThrownBy(() -> load("courier.targets.api.base-url", "https://api.example.com",
                "courier.targets.api.auth-secrte", "${env:X}"))
                .hasMessageContaining("did you mean courier.targets.api.auth-secret?");
    }

    @Test
    void targetKeysComeFromTheEnvironmentToo() {
        Settings settings = SettingsLoader.load(SettingSources.none().withEnvironment(Map.of(
                "COURIER_COURIER_TARGETS_BILLING_API_BASE_URL", "https://billing.example.com",
                "COURIER_COURIER_TARGETS_BILLING_API_AUTH", "header:X-Api-Key",
                "COURIER_COURIER_TARGETS_BILLING_API_AUTH_SECRET", "${env:BILLING_KEY}",
                "BILLING_KEY", "k-1")));

        TargetSettings target = settings.target("billing_api").orElseThrow();
        assertThat(target.auth().headerName()).isEqualTo("X-Api-Key");
        assertThat(target.auth().headerValue()).isEqualTo("k-1");
    }
}
