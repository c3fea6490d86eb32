package dev.courier.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer on 127.0.0.1 that answers with a script and remembers when each request arrived. */
public final class RecordingTarget implements AutoCloseable {

    /** One request as it arrived. */
    public record Arrival(long nanos, String method, String target, RecordedRequest request) {
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Arrival> arrivals = new ArrayList<>();

    public RecordingTarget(Function<RecordedRequest, MockResponse> script) throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (arrivals) {
                    arrivals.add(new Arrival(System.nanoTime(), request.getMethod(), request.getTarget(), request));
                }
                return script.apply(request);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The absolute URL of {@code path} on this target. */
    public String url(String path) {
        return server.url(path).toString();
    }

    /** The arrivals so far whose request target (path and query) starts with {@code prefix}, in order. */
    public List<Arrival> arrivals(String prefix) {
        synchronized (arrivals) {
            return arrivals.stream().filter(a -> a.target().startsWith(prefix)).toList();
        }
    }

    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }

    public static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("{\"status\":" + code + "}").build();
    }

    public static List<Arrival> copy(List<Arrival> arrivals) {
        return new ArrayList<>(arrivals);
    }
}
