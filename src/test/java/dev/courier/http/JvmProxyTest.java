package dev.courier.http;

import static dev.courier.http.RequestBuilder.get;
import static dev.courier.http.SettingsBuilder.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.TargetSettings;
import dev.courier.model.AttemptResult;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM's proxy settings ({@code -DsocksProxyHost}, {@code -Dhttp.proxyHost}) do not reach target sockets: the
 * policy judged the address Courier connects to, not a proxy's. A counting listener on 127.0.0.1 stands in for the
 * proxy; the system properties are set for each test only (unit tests run one at a time in their JVM).
 */
@Timeout(30)
class JvmProxyTest {

    private static final List<String> PROPERTIES = List.of("socksProxyHost", "socksProxyPort", "http.proxyHost",
            "http.proxyPort", "https.proxyHost", "https.proxyPort", "http.nonProxyHosts", "socksNonProxyHosts");

    private final MockWebServer target = new MockWebServer();
    private CountingListener proxy;
    private OkHttpCaller caller;
    private final java.util.Map<String, String> saved = new java.util.HashMap<>();

    @BeforeEach
    void start() throws Exception {
        target.start(InetAddress.getByName("127.0.0.1"), 0);
        proxy = CountingListener.on(InetAddress.getByName("127.0.0.1"));
        for (String property : PROPERTIES) {
            saved.put(property, System.getProperty(property));
        }
        String port = String.valueOf(proxy.port());
        System.setProperty("socksProxyHost", "127.0.0.1");
        System.setProperty("socksProxyPort", port);
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", port);
        System.setProperty("https.proxyHost", "127.0.0.1");
        System.setProperty("https.proxyPort", port);
        // the JDK's defaults exempt loopback destinations; the tests' targets are on loopback
        System.setProperty("http.nonProxyHosts", "");
        System.setProperty("socksNonProxyHosts", "");
    }

    @AfterEach
    void stop() throws Exception {
        saved.forEach((property, value) -> {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        });
        if (caller != null) {
            caller.close();
        }
        target.close();
        proxy.close();
    }

    @Test
    void aFreeUrlIsCalledDirectlyDespiteTheJvmsSocksProxy() throws Exception {
        caller = Callers.onLoopback(settings().build(), Clock.systemUTC(), 1);
        target.enqueue(new MockResponse.Builder().code(200).body("direct").build());

        AttemptResult result = caller.call(get(target.url("/x").uri()).build(), 1);

        assertThat(proxy.accepted()).as("connections to the JVM's proxy").isZero();
        assertThat(result).isInstanceOf(AttemptResult.Response.class);
        RecordedRequest request = target.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
    }

    @Test
    void aNamedTargetIsCalledDirectlyDespiteTheJvmsSocksProxy() throws Exception {
        caller = OkHttpCaller.builder(settings().build()).resolver(Callers.NO_DNS)
                .targets(List.of(TargetSettings.of("payments", target.url("/").uri()))).build();
        target.enqueue(new MockResponse.Builder().code(200).build());

        AttemptResult result = caller.call(get(target.url("/charges").uri()).target("payments").build(), 1);

        assertThat(proxy.accepted()).as("connections to the JVM's proxy").isZero();
        assertThat(result).isInstanceOf(AttemptResult.Response.class);
    }
}
