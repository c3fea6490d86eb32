package dev.courier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The headers an event may set: none that steer the connection, none its target adds, and within the limits. */
class HeaderRulesTest {

    private final RequestValidator validator = new RequestValidator(new TargetDirectory() {
        @Override
        public Optional<URI> baseUrl(String name) {
            return name.equals("payments") ? Optional.of(URI.create("https://payments.example.com")) : Optional.empty();
        }

        @Override
        public Set<String> injectedHeaders(String name) {
            return Set.of("Authorization", "X-Tenant");
        }
    }, new RequestLimits(1024, 3, 100));

    private Validation validate(String url, String target, Map<String, String> headers, String contentType,
            String idempotencyKey) {
        return validator.validate(new RequestSpec("r", "GET", url, target, target == null ? null : "/x", headers, null,
                contentType, null, null, null, idempotencyKey, null, null, Map.of()));
    }

    private String problems(Validation validation) {
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) validation).reason();
    }

    @Test
    void hostAndEveryProxyHeaderAreRefused() {
        for (String header : new String[] {"Host", "host", "Proxy-Authorization", "Proxy-Connection", "proxy-foo",
            "Transfer-Encoding", "TE", "Upgrade", "Keep-Alive", "Connection", "Content-Length"}) {
            assertThat(problems(validate("https://a.example.com", null, Map.of(header, "x"), null, null)))
                    .isEqualTo("header " + header + " is managed by the HTTP client and must not be set");
        }
    }

    @Test
    void anEventMayNotSetAHeaderItsTargetAddsInAnyCase() {
        assertThat(problems(validate(null, "payments", Map.of("authorization", "Bearer mine"), null, null)))
                .isEqualTo("header authorization is set by target payments and must not be set by events");
        assertThat(validate("https://a.example.com", null, Map.of("Authorization", "Bearer mine"), null, null))
                .as("a free URL's event may send its own").isInstanceOf(Validation.Valid.class);
    }

    @Test
    void theValidRequestKnowsItsTarget() {
        Validation validation = validate(null, "payments", Map.of(), null, null);

        assertThat(((Validation.Valid) validation).request().target()).isEqualTo("payments");
    }

    @Test
    void moreHeadersThanTheLimitCountingContentTypeAndIdempotencyKeyAreRefused() {
        Map<String, String> two = new LinkedHashMap<>();
        two.put("A", "1");
        two.put("B", "2");

        assertThat(validate("https://a.example.com", null, two, "text/plain", null)).isInstanceOf(Validation.Valid.class);
        assertThat(problems(validate("https://a.example.com", null, two, "text/plain", "k")))
                .isEqualTo("the event sets 4 headers; the limit is 3 (courier.http.max-request-headers)");
    }

    @Test
    void headersOverTheByteLimitAreRefused() {
        assertThat(problems(validate("https://a.example.com", null, Map.of("X-Big", "v".repeat(92)), null, null)))
                .isEqualTo("the event's headers are 101 bytes; the limit is 100 (courier.http.max-header-bytes)");
        assertThat(validate("https://a.example.com", null, Map.of("X-Big", "v".repeat(91)), null, null))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void aRefusedUrlIsEchoedWithItsCredentialsRedacted() {
        assertThat(problems(validate("https://user:pw@a.example.com/?token=abc", null, Map.of(), null, null)))
                .doesNotContain("pw").doesNotContain("abc");
        assertThat(problems(validate("ftp://a.example.com/?token=abc", null, Map.of(), null, null)))
                .isEqualTo("url \"ftp://a.example.com/?token=[REDACTED]\" has scheme ftp; only http and https are allowed");
    }
}
