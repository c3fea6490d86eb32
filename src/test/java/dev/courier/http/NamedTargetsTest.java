package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.config.Secret;
import dev.courier.config.TargetAuth;
import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.model.Validation;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Named targets: their headers and credential on every call, their CA and client certificate, and redirects. */
@Timeout(30)
class NamedTargetsTest {

    private static final HeldCertificate ROOT = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("Courier test root").build();
    private static final HeldCertificate SERVER = new HeldCertificate.Builder().commonName("target")
            .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").signedBy(ROOT).build();
    private static final HeldCertificate CLIENT = new HeldCertificate.Builder().commonName("courier-client")
            .signedBy(ROOT).build();

    @TempDir
    Path dir;

    private final MockWebServer target = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws Exception {
        elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        target.close();
        elsewhere.close();
    }

    private TargetSettings target(URI base, Map<String, Secret> headers, TargetAuth auth, Path ca, Path cert, Path key) {
        return new TargetSettings("payments", base, headers, auth, ca, cert, key, null, null, null, null);
    }

    private void use(SettingsBuilder settings, TargetSettings... targets) {
        caller = OkHttpCaller.builder(settings.build()).egress(Callers.LOOPBACK_ALLOWED).resolver(Callers.NO_DNS)
                .targets(List.of(targets)).build();
    }

    private AttemptResult callTarget(String path) {
        return caller.call(get(target.url(path).uri()).target("payments").build(), 1);
    }

    private RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        return request;
    }

    @Test
    void aTargetsHeadersAndBearerTokenGoOnEveryCall() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        use(settings(), target(target.url("/").uri(), Map.of("X-Tenant", new Secret("acme")),
                new TargetAuth(TargetAuth.Scheme.BEARER, "Authorization", new Secret("tok-123")), null, null, null));
        target.enqueue(new MockResponse.Builder().code(200).build());

        callTarget("/charges");

        RecordedRequest request = take(target);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer tok-123");
        assertThat(request.getHeaders().get("X-Tenant")).isEqualTo("acme");
    }

    @Test
    void basicAndHeaderAuthAreSentAsTheirSchemesSay() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        use(settings(), target(target.url("/").uri(), Map.of(),
                new TargetAuth(TargetAuth.Scheme.BASIC, "Authorization", new Secret("user:pa55")), null, null, null));
        target.enqueue(new MockResponse.Builder().code(200).build());
        callTarget("/");
        assertThat(take(target).getHeaders().get("Authorization")).isEqualTo("Basic dXNlcjpwYTU1");

        caller.close();
        use(settings(), target(target.url("/").uri(), Map.of(),
                new TargetAuth(TargetAuth.Scheme.HEADER, "X-Api-Key", new Secret("key-9")), null, null, null));
        target.enqueue(new MockResponse.Builder().code(200).build());
        callTarget("/");
        assertThat(take(target).getHeaders().get("X-Api-Key")).isEqualTo("key-9");
    }

    @Test
    void aTargetWithItsCaAndClientCertificateIsCalledOverMutualTls() throws Exception {
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(SERVER)
                .addTrustedCertificate(ROOT.certificate()).build();
        target.useHttps(serverTls.sslSocketFactory());
        target.requireClientAuth();
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        Path ca = Files.writeString(dir.resolve("ca.pem"), ROOT.certificatePem());
        Path cert = Files.writeString(dir.resolve("client.pem"), CLIENT.certificatePem());
        Path key = Files.writeString(dir.resolve("client-key.pem"), CLIENT.privateKeyPkcs8Pem());
        use(settings(), target(target.url("/").uri(), Map.of(), null, ca, cert, key));
        target.enqueue(new MockResponse.Builder().code(200).body("paid").build());

        AttemptResult result = callTarget("/charges");

        assertThat(result).isInstanceOf(AttemptResult.Response.class);
        RecordedRequest request = take(target);
        assertThat(request.getHandshake()).isNotNull();
        assertThat(request.getHandshake().peerPrincipal().getName()).contains("CN=courier-client");
    }

    @Test
    void aCertificateThatDoesNotChainToTheTargetsCaFailsTheHandshake() throws Exception {
        HeldCertificate otherRoot = new HeldCertificate.Builder().certificateAuthority(0).commonName("other").build();
        target.useHttps(new HandshakeCertificates.Builder().heldCertificate(SERVER).build().sslSocketFactory());
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        Path ca = Files.writeString(dir.resolve("other-ca.pem"), otherRoot.certificatePem());
        use(settings(), target(target.url("/").uri(), Map.of(), null, ca, null, null));

        AttemptResult result = callTarget("/");

        assertThat(result).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Failure.Kind.NOT_SENT);
            assertThat(failure.message()).startsWith("TLS handshake with 127.0.0.1:" + target.getPort() + " failed");
        });
        assertThat(target.getRequestCount()).isZero();
    }

    @Test
    void aPemFileThatHoldsNoCertificateStopsTheStartNamingTheKey() throws Exception {
        Path ca = Files.writeString(dir.resolve("empty.pem"), "not a certificate");
        TargetSettings broken = target(URI.create("https://127.0.0.1:1/"), Map.of(), null, ca, null, null);

        assertThatThrownBy(() -> OkHttpCaller.builder(settings().build()).targets(List.of(broken)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("courier.targets.payments.ca-file (" + ca + ") holds no PEM certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void aRedirectToAnotherOriginDropsCredentialsAndOneToTheTargetKeepsThem() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        use(settings().followRedirects(true), target(target.url("/").uri(), Map.of("X-Tenant", new Secret("acme")),
                new TargetAuth(TargetAuth.Scheme.BEARER, "Authorization", new Secret("tok-123")), null, null, null));
        target.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/moved").build());
        target.enqueue(new MockResponse.Builder().code(307).addHeader("Location", elsewhere.url("/away")).build());
        elsewhere.enqueue(new MockResponse.Builder().code(200).build());

        AttemptResult result = caller.call(get(target.url("/start").uri()).target("payments")
                .header("Cookie", "session=1").header("X-Session-Token", "t").header("Accept", "text/plain").build(), 1);

        assertThat(result).isInstanceOf(AttemptResult.Response.class);
        take(target);
        RecordedRequest sameOrigin = take(target);
        assertThat(sameOrigin.getHeaders().get("Authorization")).isEqualTo("Bearer tok-123");
        RecordedRequest away = take(elsewhere);
        assertThat(away.getHeaders().names()).doesNotContain("Authorization", "X-Tenant", "Cookie", "X-Session-Token");
        assertThat(away.getHeaders().get("Accept")).isEqualTo("text/plain");
    }

    @Test
    void aPathCannotClimbAboveTheBasePathWithTheTargetsCredentials() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        URI base = target.url("/v1").uri();
        use(settings(), target(base, Map.of(), new TargetAuth(TargetAuth.Scheme.BEARER, "Authorization",
                new Secret("tok-123")), null, null, null));
        RequestValidator validator = new RequestValidator(name -> Optional.of(base));
        for (String path : List.of("/../admin/users", "/%2e%2e/admin/users")) {
            RequestSpec spec = new RequestSpec("r-" + path.length(), "GET", null, "payments", path, Map.of(), null,
                    null, null, null, null, null, null, null, Map.of());
            Validation validation = validator.validate(spec);
            if (validation instanceof Validation.Valid valid) {
                caller.call(valid.request(), 1);
            }
            assertThat(validation).as(path).isInstanceOf(Validation.Invalid.class);
        }
        // a request that reaches the caller anyway (built without the validator) is not sent either
        AttemptResult result = caller.call(get(URI.create(base + "/../admin/users")).target("payments").build(), 1);
        assertThat(result).isInstanceOfSatisfying(Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
            assertThat(failure.message()).contains("outside target payments's base path").doesNotContain("/v1");
        });
        assertThat(target.getRequestCount()).as("requests that reached the target").isZero();
    }

    @Test
    void aRedirectLoopEndsAfterMaxRedirectsWithTheLastRedirectAsTheAnswer() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        use(settings().followRedirects(true).maxRedirects(5), target(target.url("/").uri(), Map.of(), null, null,
                null, null));
        for (int i = 0; i < 10; i++) {
            target.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/loop").build());
        }

        AttemptResult result = callTarget("/loop");

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Response.class,
                response -> assertThat(response.status()).isEqualTo(302));
        assertThat(target.getRequestCount()).as("the first request and 5 redirects").isEqualTo(6);
    }
}
