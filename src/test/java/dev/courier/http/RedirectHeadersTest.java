package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.CidrSet;
import dev.courier.config.EgressSettings;
import dev.courier.config.HostPatterns;
import dev.courier.config.PortSet;
import dev.courier.config.Secret;
import dev.courier.config.TargetAuth;
import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What follows a redirect to another origin: only the event's headers of an allowlist (content negotiation, the body's
 * description, {@code Idempotency-Key}, tracing), whatever the others are called; and with
 * {@code courier.egress.require-target=true}, nothing at all when the hop leaves the target's origin. Both servers
 * listen on 127.0.0.1 (another port is another origin).
 */
@Timeout(30)
class RedirectHeadersTest {

    private final MockWebServer first = new MockWebServer();
    private final MockWebServer second = new MockWebServer();
    private OkHttpCaller caller;

    @BeforeEach
    void start() throws Exception {
        first.start(InetAddress.getByName("127.0.0.1"), 0);
        second.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        first.close();
        second.close();
    }

    private RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    @Test
    void aCrossOriginRedirectCarriesOnlyTheAllowlistedHeadersOfTheEvent() throws Exception {
        caller = OkHttpCaller.builder(settings().followRedirects(true).build()).egress(Callers.LOOPBACK_ALLOWED)
                .resolver(Callers.NO_DNS).build();
        first.enqueue(new MockResponse.Builder().code(302).addHeader("Location", second.url("/landing")).build());
        second.enqueue(new MockResponse.Builder().code(200).build());

        AttemptResult result = caller.call(get(first.url("/start").uri())
                .header("Token", "t-1").header("X-Apikey", "k-1").header("Api_Key", "k-2").header("X-Auth", "a-1")
                .header("X-Custom", "c").header("Accept", "application/json").header("Accept-Language", "de")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .idempotencyKey("order-7").build(), 1);

        assertThat(result).isInstanceOf(AttemptResult.Response.class);
        RecordedRequest original = take(first);
        assertThat(original.getHeaders().get("Token")).as("the first origin gets what the event sent").isEqualTo("t-1");
        RecordedRequest away = take(second);
        assertThat(away.getHeaders().names()).as("headers at the second origin")
                .doesNotContain("Token", "X-Apikey", "Api_Key", "X-Auth", "X-Custom")
                .contains("Accept", "Accept-Language", "traceparent", "Idempotency-Key");
        assertThat(away.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(away.getHeaders().get("Idempotency-Key")).isEqualTo("order-7");
    }

    @Test
    void aSameOriginRedirectKeepsEveryHeader() throws Exception {
        caller = OkHttpCaller.builder(settings().followRedirects(true).build()).egress(Callers.LOOPBACK_ALLOWED)
                .resolver(Callers.NO_DNS).build();
        first.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/next").build());
        first.enqueue(new MockResponse.Builder().code(200).build());

        caller.call(get(first.url("/start").uri()).header("X-Custom", "c").header("Token", "t-1").build(), 1);

        take(first);
        RecordedRequest next = take(first);
        assertThat(next.getHeaders().get("X-Custom")).isEqualTo("c");
        assertThat(next.getHeaders().get("Token")).isEqualTo("t-1");
    }

    @Test
    void withRequireTargetARedirectOutOfTheTargetsOriginIsRefusedAndNotMade() throws Exception {
        EgressSettings requireTarget = new EgressSettings(CidrSet.parse("127.0.0.1/32"), PortSet.parse("1-65535"),
                HostPatterns.empty(), HostPatterns.empty(), true, false);
        TargetSettings payments = new TargetSettings("payments", first.url("/").uri(), Map.of(),
                new TargetAuth(TargetAuth.Scheme.BEARER, "Authorization", new Secret("tok-123")), null, null, null,
                null, null, null, null);
        caller = OkHttpCaller.builder(settings().followRedirects(true).build()).egress(requireTarget)
                .resolver(Callers.NO_DNS).targets(List.of(payments)).build();
        first.enqueue(new MockResponse.Builder().code(302).addHeader("Location", second.url("/away")).build());
        second.enqueue(new MockResponse.Builder().code(200).build());

        AttemptResult result = caller.call(get(first.url("/charges").uri()).target("payments").build(), 1);

        assertThat(result).isInstanceOfSatisfying(AttemptResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(AttemptResult.Failure.Kind.REFUSED_BY_POLICY);
            assertThat(failure.message()).contains("redirect 1", "courier.egress.require-target",
                    "leaves target payments");
        });
        take(first);
        assertThat(second.getRequestCount()).as("requests that reached the other origin").isZero();
    }
}
