package dev.courier.http;

import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the validated requests the caller is given, for tests. */
final class RequestBuilder {

    private final HttpMethod method;
    private final URI url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Bytes body;
    private String contentType;
    private Duration timeout;
    private String idempotencyKey;
    private String target;

    private RequestBuilder(HttpMethod method, URI url) {
        this.method = method;
        this.url = url;
    }

    static RequestBuilder request(HttpMethod method, URI url) {
        return new RequestBuilder(method, url);
    }

    static RequestBuilder get(URI url) {
        return request(HttpMethod.GET, url);
    }

    RequestBuilder header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    RequestBuilder body(Bytes body, String contentType) {
        this.body = body;
        this.contentType = contentType;
        return this;
    }

    RequestBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The request is under named target {@code name}'s base URL. */
    RequestBuilder target(String name) {
        this.target = name;
        return this;
    }

    RequestBuilder idempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }

    DispatchRequest build() {
        return new DispatchRequest("request-1", method, url, target, headers, body, contentType, timeout, null, null,
                idempotencyKey, null, url.getHost(), Map.of());
    }
}
