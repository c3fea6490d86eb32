package dev.courier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What becomes [REDACTED] at rest, and what is kept for replay. */
class RedactorTest {

    private final Redactor redactor = Redactor.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Api-Key",
        "X-Session-Token", "X-Client-Secret", "X-Signing-Key", "X-Db-Password", "X-Hub-Signature"})
    void credentialHeadersAreRedacted(String name) {
        assertThat(redactor.headers(Map.of(name, "s3cret", "Accept", "*/*")))
                .containsEntry(name, "[REDACTED]").containsEntry("Accept", "*/*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Token", "X-Apikey", "Api_Key", "X-Auth", "X-Auth-User", "Session", "X-Session-Id",
        "X-Cookie", "X-Shared-Secret", "Client-Signature", "X-User-Password", "X-Goog-Api-Key", "authorization "})
    void headersWhoseNameSaysCredentialAreRedactedWhateverTheSpelling(String name) {
        assertThat(redactor.headers(Map.of(name, "s3cret"))).as(name).containsEntry(name, "[REDACTED]");
    }

    @Test
    void aHeaderNameWithSpacesAroundItIsStillACredential() {
        assertThat(Redactor.isCredentialHeader("Authorization ")).isTrue();
        assertThat(Redactor.isCredentialHeader(" X-Api-Key\t")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "Content-Type", "Keep-Alive", "traceparent", "X-Request-Id", "User-Agent"})
    void otherHeadersAreKept(String name) {
        assertThat(Redactor.isCredentialHeader(name)).as(name).isFalse();
    }

    @Test
    void theIdempotencyKeyIsKeptForReplay() {
        assertThat(Redactor.isCredentialHeader("Idempotency-Key")).isFalse();
        assertThat(redactor.headers(Map.of("Idempotency-Key", "order-7"))).containsEntry("Idempotency-Key", "order-7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://user:pw@api.example.com/x?a=1    | https://[REDACTED]@api.example.com/x?a=1",
        "https://api.example.com/x?token=t&a=1    | https://api.example.com/x?token=[REDACTED]&a=1",
        "https://api.example.com/?API_KEY=k#frag  | https://api.example.com/?API_KEY=[REDACTED]#frag",
        "https://api.example.com/?sig=s&Signature=z | https://api.example.com/?sig=[REDACTED]&Signature=[REDACTED]",
        "https://api.example.com/#access_token=t  | https://api.example.com/#access_token=[REDACTED]",
        "https://api.example.com/?tokens=keep     | https://api.example.com/?tokens=keep",
        "http://a@b@127.0.0.1/                    | http://[REDACTED]@127.0.0.1/",
        "not a url ?password=p                    | not a url ?password=[REDACTED]",
        "http:user:pass@api.example.com/x         | http:[REDACTED]@api.example.com/x",
        "https:/user:pass@api.example.com/x       | https:/[REDACTED]@api.example.com/x",
        "HTTP:\\\\u:p@api.example.com/           | HTTP:\\\\[REDACTED]@api.example.com/",
        "https://s3.example.com/o?X-Amz-Signature=a&X-Amz-Credential=b&X-Amz-Security-Token=c&X-Amz-Date=d"
            + " | https://s3.example.com/o?X-Amz-Signature=[REDACTED]&X-Amz-Credential=[REDACTED]"
            + "&X-Amz-Security-Token=[REDACTED]&X-Amz-Date=d",
        "https://a.example.com/?client_secret=s&access-token=t&x=1"
            + " | https://a.example.com/?client_secret=[REDACTED]&access-token=[REDACTED]&x=1",
    })
    void urlUserinfoAndListedQueryParametersAreRedacted(String url, String redacted) {
        assertThat(redactor.url(url.trim())).isEqualTo(redacted.trim());
    }

    @Test
    void theDefaultListIsTheSettingsDefault() {
        assertThat(dev.courier.config.Settings.defaults().redactQueryParams())
                .containsExactlyInAnyOrderElementsOf(Redactor.DEFAULT_QUERY_PARAMS);
    }

    @Test
    void theListOfQueryParametersIsTheSettings() {
        Redactor custom = new Redactor(Set.of("Session"));

        assertThat(custom.url("https://a.example.com/?session=1&token=2"))
                .isEqualTo("https://a.example.com/?session=[REDACTED]&token=2");
    }

    @Test
    void urlsInsideAMessageAreRedacted() {
        assertThat(redactor.text("could not connect to https://u:p@a.example.com/?key=k: refused"))
                .isEqualTo("could not connect to https://[REDACTED]@a.example.com/?key=[REDACTED]: refused");
        assertThat(redactor.text("url \"http:u:p@a.example.com/\" has no valid host"))
                .isEqualTo("url \"http:[REDACTED]@a.example.com/\" has no valid host");
    }

    @Test
    void aDeadLettersRequestKeepsEverythingButItsCredentials() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer t");
        headers.put("X-Trace", "abc");
        RequestSpec spec = new RequestSpec("r", "POST", null, "payments", "/charges?token=t&n=1", headers,
                Bytes.utf8("{}"), "application/json", 100L, 2, null, "idem", "corr", "key", Map.of("a", "b"));

        RequestSpec redacted = redactor.request(spec);

        assertThat(redacted.headers()).containsEntry("Authorization", "[REDACTED]").containsEntry("X-Trace", "abc");
        assertThat(redacted.path()).isEqualTo("/charges?token=[REDACTED]&n=1");
        assertThat(redacted).usingRecursiveComparison().ignoringFields("headers", "path").isEqualTo(spec);
    }
}
