package dev.courier.http;

import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Courier follows redirects itself (OkHttp's own following is off), so that each hop is judged by the egress policy
 * before it connects, the hops are counted against {@code courier.http.max-redirects}, and credentials do not follow
 * a redirect to another origin. The method changes as browsers and OkHttp change it: 307 and 308 keep the method and
 * body, the others turn a request other than GET or HEAD into a GET without a body. Stateless.
 */
final class Redirects {

    private Redirects() {
    }

    /** Where {@code response} redirects to, or null when it is not a redirect that can be followed. */
    static HttpUrl location(Response response) {
        return switch (response.code()) {
            case 300, 301, 302, 303, 307, 308 -> {
                String location = response.header("Location");
                yield location == null ? null : response.request().url().resolve(location);
            }
            default -> null;
        };
    }

    /**
     * The event's headers that follow a redirect to another origin, lower-cased: content negotiation, the body's
     * description (a 307 or 308 sends the body on), {@code Idempotency-Key}, and trace context. Every other header,
     * whatever its name, may be a credential or mean something only to the first origin.
     */
    static final Set<String> CROSS_ORIGIN_HEADERS = Set.of("accept", "accept-charset", "accept-encoding",
            "accept-language", "content-type", "content-encoding", "content-language", "idempotency-key",
            "traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid",
            "x-b3-sampled", "x-b3-flags", "x-request-id", "x-correlation-id");

    /**
     * The request of the hop to {@code next}, after {@code previous} was answered {@code status}. When the origin
     * (scheme, host, port) changes, only the headers of {@link #CROSS_ORIGIN_HEADERS} are kept, and of them none in
     * {@code injected} (the target's own).
     */
    static Request follow(Request previous, int status, HttpUrl next, Set<String> injected) {
        Request.Builder builder = previous.newBuilder().url(next);
        String method = previous.method();
        if (status != 307 && status != 308 && !method.equals("GET") && !method.equals("HEAD")) {
            builder.method("GET", null).removeHeader("Content-Type").removeHeader("Content-Length")
                    .removeHeader("Transfer-Encoding");
        }
        HttpUrl from = previous.url();
        boolean sameOrigin = from.scheme().equals(next.scheme()) && from.host().equals(next.host())
                && from.port() == next.port();
        if (!sameOrigin) {
            for (String name : previous.headers().names()) {
                if (!CROSS_ORIGIN_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                        || injected.stream().anyMatch(name::equalsIgnoreCase)) {
                    builder.removeHeader(name);
                }
            }
        }
        return builder.build();
    }
}
