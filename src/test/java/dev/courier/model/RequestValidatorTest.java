package dev.courier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(
            name -> name.equals("payments") ? Optional.of(URI.create("https://payments.example.com/v1/")) : Optional.empty());

    @Test
    void aCompleteRequestResolvesEveryField() {
        Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
        RequestSpec spec = new RequestSpec("r-1", "POST", "https://api.example.com/orders?x=1", null, null,
                Map.of("X-Trace", "abc"), Bytes.utf8("{}"), "application/json", 2500L, 3, deadline, "idem-1",
                "corr-1", "orders", Map.of("team", "billing"));

        DispatchRequest request = valid(spec);

        assertThat(request.id()).isEqualTo("r-1");
        assertThat(request.method()).isEqualTo(HttpMethod.POST);
        assertThat(request.url()).isEqualTo(URI.create("https://api.example.com/orders?x=1"));
        assertThat(request.headers()).containsExactly(Map.entry("X-Trace", "abc"));
        assertThat(request.body()).isEqualTo(Bytes.utf8("{}"));
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(request.maxAttempts()).isEqualTo(3);
        assertThat(request.deadline()).isEqualTo(deadline);
        assertThat(request.idempotencyKey()).isEqualTo("idem-1");
        assertThat(request.correlationId()).isEqualTo("corr-1");
        assertThat(request.rateLimitKey()).isEqualTo("orders");
        assertThat(request.attributes()).containsEntry("team", "billing");
    }

    @Test
    void theRateLimitKeyDefaultsToTheHost() {
        assertThat(valid(get("http://api.example.com:8080/x")).rateLimitKey()).isEqualTo("api.example.com");
    }

    @Test
    void aNamedTargetAndPathJoinIntoOneUrl() {
        DispatchRequest request = valid(target("payments", "/charges?id=7"));

        assertThat(request.url()).isEqualTo(URI.create("https://payments.example.com/v1/charges?id=7"));
    }

    @Test
    void aNamedTargetWithoutPathCallsTheBaseUrl() {
        assertThat(valid(target("payments", null)).url()).isEqualTo(URI.create("https://payments.example.com/v1/"));
    }

    @Test
    void anUndefinedTargetIsRefusedWithTheKeyToDefine() {
        assertThat(problems(target("billing", "/x")))
                .containsExactly("target \"billing\" is not configured (define courier.targets.billing.base-url)");
    }

    @Test
    void aPathThatTriesToLeaveTheTargetHostIsRefused() {
        assertThat(problems(target("payments", "//evil.example.com/x"))).singleElement().asString()
                .contains("must start with a single /");
        assertThat(problems(target("payments", "@evil.example.com/x"))).singleElement().asString()
                .contains("must start with a single /");
    }

    @Test
    void aPathWithDotSegmentsEncodedOrNotIsRefusedSoItCannotClimbAboveTheBasePath() {
        for (String path : new String[] {"/../admin/users", "/%2e%2e/admin/users", "/%2E%2E/admin", "/.%2e/admin",
            "/a/../../admin", "/./admin", "/%2e/admin", "/..%2fadmin", "/%252e%252e/admin", "/..;/admin",
            "/..\\admin", "/a/..", "/..?x=1", "/%2e%2e#f"}) {
            assertThat(problems(target("payments", path))).as(path).singleElement().asString()
                    .contains("dot segment", "base path");
        }
    }

    @Test
    void aTargetsBaseUrlWhosePathHoldsItsSecretNeverAppearsInAProblem() {
        RequestValidator webhook = new RequestValidator(
                name -> Optional.of(URI.create("https://hooks.example.com/services/T0/B0/s3cretWebhookToken")));
        for (String path : new String[] {"/a b", "/../x", "/%zz", "//evil.example.com"}) {
            Validation validation = webhook.validate(target("slack", path));
            assertThat(validation).as(path).isInstanceOfSatisfying(Validation.Invalid.class, invalid ->
                    assertThat(invalid.problems()).allSatisfy(problem -> assertThat(problem)
                            .doesNotContain("s3cretWebhookToken").contains("path")));
        }
    }

    @Test
    void dotsInsideASegmentAreNotDotSegments() {
        for (String path : new String[] {"/files/a..b", "/v2/...", "/.well-known/x", "/x?next=../y", "/a.%2e"}) {
            assertThat(valid(target("payments", path)).url().getRawPath()).as(path).startsWith("/v1/");
        }
    }

    @Test
    void routingHeadersThatChooseTheHostOrTheMethodBehindAProxyAreRefused() {
        for (String header : new String[] {"X-Forwarded-Host", "Forwarded", "X-Original-URL", "X-Rewrite-URL",
            "X-HTTP-Method-Override", "X-Real-IP", "x-forwarded-for", "X-Forwarded-Proto", "X-Method-Override",
            "X-HTTP-Method", "X-Forwarded-Prefix", "True-Client-IP", "X-Original-Host"}) {
            assertThat(problems(withHeaders(get("https://a.example.com/"), Map.of(header, "x")))).as(header)
                    .singleElement().asString().contains("header " + header, "routing");
            assertThat(problems(withHeaders(target("payments", "/x"), Map.of(header, "x")))).as(header + " to a target")
                    .singleElement().asString().contains("courier.targets.payments.allow-routing-headers");
        }
    }

    @Test
    void aTargetMayAllowTheRoutingHeadersItNeeds() {
        RequestValidator allowing = new RequestValidator(new TargetDirectory() {
            @Override
            public Optional<URI> baseUrl(String name) {
                return Optional.of(URI.create("https://payments.example.com/v1/"));
            }

            @Override
            public java.util.Set<String> allowedRoutingHeaders(String name) {
                return java.util.Set.of("x-forwarded-for");
            }
        });
        RequestSpec spec = withHeaders(target("payments", "/x"), Map.of("X-Forwarded-For", "203.0.113.9"));

        Validation validation = allowing.validate(spec);

        assertThat(validation).isInstanceOfSatisfying(Validation.Valid.class,
                valid -> assertThat(valid.request().headers()).containsEntry("X-Forwarded-For", "203.0.113.9"));
        assertThat(allowing.validate(withHeaders(target("payments", "/x"), Map.of("X-Forwarded-Host", "h"))))
                .as("only the headers it lists").isInstanceOf(Validation.Invalid.class);
    }

    @Test
    void aMissingIdIsRefused() {
        assertThat(problems(withId(get("https://a.example.com"), " "))).containsExactly("id is required");
    }

    @Test
    void anUnknownMethodListsTheAllowedOnes() {
        assertThat(problems(withMethod(get("https://a.example.com"), "FETCH")))
                .containsExactly("unknown method \"FETCH\"; allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    }

    @Test
    void aLowerCaseMethodSuggestsTheUpperCaseOne() {
        assertThat(problems(withMethod(get("https://a.example.com"), "post"))).singleElement().asString()
                .contains("(did you mean POST?)");
    }

    @Test
    void aRelativeUrlIsRefused() {
        assertThat(problems(get("/orders/1")))
                .containsExactly("url \"/orders/1\" must be an absolute http or https URL");
    }

    @Test
    void aNonHttpUrlIsRefused() {
        assertThat(problems(get("ftp://files.example.com/a")))
                .containsExactly("url \"ftp://files.example.com/a\" has scheme ftp; only http and https are allowed");
    }

    @Test
    void aMalformedUrlIsRefused() {
        assertThat(problems(get("http://exa mple.com/"))).singleElement().asString()
                .startsWith("url \"http://exa mple.com/\" is not a valid URL");
    }

    @Test
    void aUrlWithCredentialsIsRefused() {
        assertThat(problems(get("https://user:secret@a.example.com/"))).singleElement().asString()
                .contains("must not carry credentials");
    }

    @Test
    void urlAndTargetTogetherAreRefused() {
        RequestSpec both = new RequestSpec("r", "GET", "https://a.example.com", "payments", null, Map.of(), null,
                null, null, null, null, null, null, null, Map.of());
        assertThat(problems(both)).containsExactly("set either url or target, not both");
    }

    @Test
    void neitherUrlNorTargetIsRefused() {
        assertThat(problems(get(null))).containsExactly("url or target is required");
    }

    @Test
    void aBodyOnGetIsRefused() {
        RequestSpec spec = new RequestSpec("r", "GET", "https://a.example.com", null, null, Map.of(), Bytes.utf8("x"),
                null, null, null, null, null, null, null, Map.of());
        assertThat(problems(spec)).containsExactly("method GET must not have a body");
    }

    @Test
    void connectionHeadersAndIllegalHeaderNamesAreRefused() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Length", "10");
        headers.put("Bad Header", "x");
        headers.put("X-Line", "a\r\nInjected: yes");
        assertThat(problems(withHeaders(get("https://a.example.com"), headers))).containsExactlyInAnyOrder(
                "header Content-Length is managed by the HTTP client and must not be set",
                "header name \"Bad Header\" is not a valid HTTP token",
                "header X-Line has a value with characters outside printable ASCII");
    }

    @Test
    void contentTypeAndIdempotencyKeyHeadersBecomeTheirFields() {
        DispatchRequest request = valid(withHeaders(get("https://a.example.com"),
                Map.of("content-type", "text/plain", "Idempotency-Key", "k-1", "Accept", "*/*")));

        assertThat(request.contentType()).isEqualTo("text/plain");
        assertThat(request.idempotencyKey()).isEqualTo("k-1");
        assertThat(request.headers()).containsOnlyKeys("Accept");
    }

    @Test
    void aContentTypeHeaderThatDisagreesWithTheFieldIsRefused() {
        RequestSpec spec = new RequestSpec("r", "POST", "https://a.example.com", null, null,
                Map.of("Content-Type", "text/plain"), Bytes.utf8("x"), "application/json", null, null, null, null,
                null, null, Map.of());
        assertThat(problems(spec)).singleElement().asString()
                .isEqualTo("contentType \"application/json\" disagrees with header Content-Type \"text/plain\"; set it once");
    }

    @Test
    void aMalformedContentTypeIsRefused() {
        RequestSpec spec = new RequestSpec("r", "POST", "https://a.example.com", null, null, Map.of(), Bytes.utf8("x"),
                "json", null, null, null, null, null, null, Map.of());
        assertThat(problems(spec)).singleElement().asString().contains("is not a media type");
    }

    @Test
    void aContentTypeOutsidePrintableAsciiOrTheHttpClientsGrammarIsRefused() {
        // each passed validation and then made the HTTP client throw on every attempt
        for (String contentType : new String[] {"text/plain; a=\"\u00e9\"", "text/plain; charset", "text/plain ",
            "text/plain ; charset=utf-8", "text/plain;\ncharset=utf-8", "application/json; x=\"\u0007\""}) {
            RequestSpec spec = new RequestSpec("r", "POST", "https://a.example.com", null, null, Map.of(),
                    Bytes.utf8("x"), contentType, null, null, null, null, null, null, Map.of());
            assertThat(problems(spec)).as(contentType).singleElement().asString().contains("is not a media type");
        }
    }

    @Test
    void mediaTypesWithParametersArePassed() {
        for (String contentType : new String[] {"application/json", "text/plain; charset=utf-8",
            "multipart/form-data;boundary=\"a b\"", "application/vnd.api+json; q='x'; y=z"}) {
            RequestSpec spec = new RequestSpec("r", "POST", "https://a.example.com", null, null, Map.of(),
                    Bytes.utf8("x"), contentType, null, null, null, null, null, null, Map.of());
            assertThat(valid(spec).contentType()).isEqualTo(contentType);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithTheSetting() {
        RequestValidator capped = new RequestValidator(name -> Optional.empty(), 4);
        RequestSpec spec = new RequestSpec("r", "POST", "https://a.example.com", null, null, Map.of(),
                Bytes.utf8("12345"), null, null, null, null, null, null, null, Map.of());

        Validation validation = capped.validate(spec);

        assertThat(((Validation.Invalid) validation).problems())
                .containsExactly("body is 5 bytes; the limit is 4 (courier.http.max-request-bytes)");
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        RequestSpec spec = new RequestSpec("r", "GET", "https://a.example.com", null, null, Map.of(), null, null,
                0L, 0, null, null, null, null, Map.of());
        assertThat(problems(spec)).containsExactly("timeoutMs must be positive, got 0", "maxAttempts must be at least 1, got 0");
    }

    @Test
    void everyProblemOfOneEventIsReported() {
        RequestSpec spec = new RequestSpec("", "YEET", "nope", null, null, Map.of(), null, null, -1L, null, null,
                null, null, null, Map.of());
        assertThat(problems(spec)).hasSize(4);
    }

    private DispatchRequest valid(RequestSpec spec) {
        Validation validation = validator.validate(spec);
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).request();
    }

    private java.util.List<String> problems(RequestSpec spec) {
        Validation validation = validator.validate(spec);
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) validation).problems();
    }

    private static RequestSpec get(String url) {
        return new RequestSpec("r-1", "GET", url, null, null, Map.of(), null, null, null, null, null, null, null, null,
                Map.of());
    }

    private static RequestSpec target(String target, String path) {
        return new RequestSpec("r-1", "GET", null, target, path, Map.of(), null, null, null, null, null, null, null,
                null, Map.of());
    }

    private static RequestSpec withId(RequestSpec s, String id) {
        return new RequestSpec(id, s.method(), s.url(), s.target(), s.path(), s.headers(), s.body(), s.contentType(),
                s.timeoutMs(), s.maxAttempts(), s.deadline(), s.idempotencyKey(), s.correlationId(), s.rateLimitKey(),
                s.attributes());
    }

    private static RequestSpec withMethod(RequestSpec s, String method) {
        return new RequestSpec(s.id(), method, s.url(), s.target(), s.path(), s.headers(), s.body(), s.contentType(),
                s.timeoutMs(), s.maxAttempts(), s.deadline(), s.idempotencyKey(), s.correlationId(), s.rateLimitKey(),
                s.attributes());
    }

    private static RequestSpec withHeaders(RequestSpec s, Map<String, String> headers) {
        return new RequestSpec(s.id(), s.method(), s.url(), s.target(), s.path(), headers, s.body(), s.contentType(),
                s.timeoutMs(), s.maxAttempts(), s.deadline(), s.idempotencyKey(), s.correlationId(), s.rateLimitKey(),
                s.attributes());
    }
}
