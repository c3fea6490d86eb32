package dev.courier.http;

import dev.courier.model.Redactor;
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
     * The request of the hop to {@code next}, after {@code previous} was answered {@code status}. When the origin
     * (scheme, host, port) changes, the credential headers (see {@link Redactor#isCredentialHeader}) and the headers
     * in {@code injected} are dropped.
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
                if (Redactor.isCredentialHeader(name) || injected.stream().anyMatch(name::equalsIgnoreCase)) {
                    builder.removeHeader(name);
                }
            }
        }
        return builder.build();
    }
}
