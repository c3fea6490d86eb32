package dev.courier.model;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a request event can be dispatched and, if so, resolves it into a
 * {@link DispatchRequest}. Every problem found is reported, each naming the field, the value and
 * what is allowed. Stateless and thread-safe.
 */
public final class RequestValidator {

    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final String CONTENT_TYPE_HEADER = "Content-Type";

    /**
     * Headers an event may not set: they belong to the connection (the HTTP client sets them), or they would change
     * where or how the request goes ({@code Host} reaches other virtual hosts behind the same address; {@code Proxy-*}
     * speaks to proxies on the way). Any header whose name starts with {@code proxy-} is refused too.
     */
    private static final Set<String> CONNECTION_HEADERS = Set.of(
            "connection", "content-length", "host", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade");
    private static final String PROXY_PREFIX = "proxy-";
    /**
     * Headers that proxies, load balancers and frameworks on the target's side read to choose the host, the path,
     * the method or the client's address ({@code X-Forwarded-Host}, {@code X-HTTP-Method-Override}, ...): an event
     * setting them could reach what its URL does not name. Refused, unless the event's named target lists them in
     * {@code courier.targets.NAME.allow-routing-headers}.
     */
    static final Set<String> ROUTING_HEADERS = Set.of("forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-scheme",
            "x-forwarded-uri", "x-forwarded-path", "x-original-url", "x-original-uri", "x-original-host",
            "x-rewrite-url", "x-host", "x-http-host-override", "x-http-method-override", "x-http-method",
            "x-method-override", "x-real-ip", "x-client-ip", "true-client-ip", "x-cluster-client-ip",
            "x-originating-ip", "x-remote-ip", "x-remote-addr", "client-ip");
    /** {@code ": "} and the line end, per header, as on the wire. */
    private static final int HEADER_OVERHEAD = 4;

    /**
     * type/subtype, then parameters as the HTTP client reads them ({@code ;name=token}, {@code ;name="quoted"} or
     * {@code ;name='quoted'}, spaces allowed after {@code ;} only); compiled once, since validation runs for every
     * event. What it accepts, the client can send.
     */
    private static final Pattern MEDIA_TYPE;

    static {
        String token = "[!#$%&'*+.^_`{|}~0-9A-Za-z-]+";
        MEDIA_TYPE = Pattern.compile(token + "/" + token + "(;[ \\t]*(" + token + "=(" + token
                + "|'[^']*'|\"[^\"]*\"))?)*");
    }

    private static final String ALLOWED_METHODS = Arrays.stream(HttpMethod.values())
            .map(Enum::name).collect(Collectors.joining(", "));

    private final TargetDirectory targets;
    private final RequestLimits limits;
    private final Redactor redactor = Redactor.defaults();

    /** A validator that resolves named targets with {@code targets} and sets no limits. */
    public RequestValidator(TargetDirectory targets) {
        this(targets, RequestLimits.NONE);
    }

    /**
     * @param maxBodyBytes the largest request body allowed ({@code courier.http.max-request-bytes})
     */
    public RequestValidator(TargetDirectory targets, long maxBodyBytes) {
        this(targets, new RequestLimits(maxBodyBytes, Integer.MAX_VALUE, Long.MAX_VALUE));
    }

    /** @param limits the body and header limits ({@code courier.http.max-*}) */
    public RequestValidator(TargetDirectory targets, RequestLimits limits) {
        this.targets = targets;
        this.limits = limits;
    }

    public Validation validate(RequestSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.id() == null || spec.id().isBlank()) {
            problems.add("id is required");
        }
        HttpMethod method = method(spec.method(), problems);
        URI url = RequestUrls.resolve(spec, targets, redactor, problems);
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = spec.contentType();
        String idempotencyKey = spec.idempotencyKey();
        Set<String> injected = url != null && spec.target() != null ? targets.injectedHeaders(spec.target()) : Set.of();
        Set<String> routing = url != null && spec.target() != null ? targets.allowedRoutingHeaders(spec.target())
                : Set.of();
        for (Map.Entry<String, String> header : spec.headers().entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (!checkHeader(name, value, problems)) {
                continue;
            }
            if (injected.stream().anyMatch(name::equalsIgnoreCase)) {
                problems.add("header " + name + " is set by target " + spec.target() + " and must not be set by events");
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (ROUTING_HEADERS.contains(lower) && !routing.contains(lower)) {
                problems.add("header " + name + " is a routing header (it may choose the host, path or method behind a"
                        + " proxy) and events may not set it" + (spec.target() == null ? ""
                        : "; courier.targets." + spec.target() + ".allow-routing-headers can allow it for that target"));
                continue;
            }
            if (name.equalsIgnoreCase(CONTENT_TYPE_HEADER)) {
                contentType = merge("contentType", contentType, name, value, problems);
            } else if (name.equalsIgnoreCase(IDEMPOTENCY_KEY_HEADER)) {
                idempotencyKey = merge("idempotencyKey", idempotencyKey, name, value, problems);
            } else {
                headers.put(name, value);
            }
        }
        if (contentType != null && !isMediaType(contentType)) {
            problems.add("contentType \"" + contentType + "\" is not a media type such as application/json");
        }
        if (idempotencyKey != null && !isHeaderValue(idempotencyKey)) {
            problems.add("idempotencyKey must be printable ASCII");
        }
        checkHeaderLimits(headers, contentType, idempotencyKey, problems);
        if (spec.body() != null && spec.body().length() > limits.maxBodyBytes()) {
            problems.add("body is " + spec.body().length() + " bytes; the limit is " + limits.maxBodyBytes()
                    + " (courier.http.max-request-bytes)");
        }
        if (method != null && spec.body() != null && !method.isBodyAllowed()) {
            problems.add("method " + method + " must not have a body");
        }
        if (spec.timeoutMs() != null && spec.timeoutMs() <= 0) {
            problems.add("timeoutMs must be positive, got " + spec.timeoutMs());
        }
        if (spec.maxAttempts() != null && spec.maxAttempts() < 1) {
            problems.add("maxAttempts must be at least 1, got " + spec.maxAttempts());
        }
        if (!problems.isEmpty()) {
            return new Validation.Invalid(problems);
        }
        String rateLimitKey = spec.rateLimitKey() != null && !spec.rateLimitKey().isBlank()
                ? spec.rateLimitKey()
                : url.getHost();
        return new Validation.Valid(new DispatchRequest(
                spec.id(),
                method,
                url,
                spec.target(),
                headers,
                spec.body(),
                contentType,
                spec.timeoutMs() == null ? null : Duration.ofMillis(spec.timeoutMs()),
                spec.maxAttempts(),
                spec.deadline(),
                idempotencyKey,
                spec.correlationId(),
                rateLimitKey,
                spec.attributes()));
    }

    private static HttpMethod method(String name, List<String> problems) {
        if (name == null) {
            problems.add("method is required");
            return null;
        }
        Optional<HttpMethod> method = HttpMethod.parse(name);
        if (method.isEmpty()) {
            Optional<HttpMethod> caseless = HttpMethod.parse(name.toUpperCase(Locale.ROOT));
            problems.add("unknown method \"" + name + "\"" + caseless.map(m -> " (did you mean " + m + "?)").orElse("")
                    + "; allowed: " + ALLOWED_METHODS);
        }
        return method.orElse(null);
    }

    /** The headers the event sets, {@code contentType} and {@code idempotencyKey} included, within the limits. */
    private void checkHeaderLimits(Map<String, String> headers, String contentType, String idempotencyKey,
            List<String> problems) {
        int count = headers.size();
        long bytes = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            bytes += header.getKey().length() + header.getValue().length() + HEADER_OVERHEAD;
        }
        if (contentType != null) {
            count++;
            bytes += CONTENT_TYPE_HEADER.length() + contentType.length() + HEADER_OVERHEAD;
        }
        if (idempotencyKey != null) {
            count++;
            bytes += IDEMPOTENCY_KEY_HEADER.length() + idempotencyKey.length() + HEADER_OVERHEAD;
        }
        if (count > limits.maxHeaders()) {
            problems.add("the event sets " + count + " headers; the limit is " + limits.maxHeaders()
                    + " (courier.http.max-request-headers)");
        }
        if (bytes > limits.maxHeaderBytes()) {
            problems.add("the event's headers are " + bytes + " bytes; the limit is " + limits.maxHeaderBytes()
                    + " (courier.http.max-header-bytes)");
        }
    }

    private static boolean checkHeader(String name, String value, List<String> problems) {
        if (!isToken(name)) {
            problems.add("header name \"" + name + "\" is not a valid HTTP token");
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (CONNECTION_HEADERS.contains(lower) || lower.startsWith(PROXY_PREFIX)) {
            problems.add("header " + name + " is managed by the HTTP client and must not be set");
            return false;
        }
        if (!isHeaderValue(value)) {
            problems.add("header " + name + " has a value with characters outside printable ASCII");
            return false;
        }
        return true;
    }

    private static String merge(String field, String fieldValue, String header, String headerValue,
            List<String> problems) {
        if (fieldValue != null && !fieldValue.equals(headerValue)) {
            problems.add(field + " \"" + fieldValue + "\" disagrees with header " + header + " \"" + headerValue
                    + "\"; set it once");
        }
        return fieldValue != null ? fieldValue : headerValue;
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMediaType(String value) {
        return isHeaderValue(value) && value.indexOf('\t') < 0 && MEDIA_TYPE.matcher(value).matches();
    }
}
