package dev.courier.model;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides credentials in what Courier keeps (results, dead letters) and logs: the values of credential headers, URL
 * userinfo and the values of the configured query parameters become {@value #REDACTED}. Everything else is kept, so a
 * dead letter still shows what was asked and can be replayed (a replayed event that needs credentials should name a
 * target, whose own credentials are added on every call). Immutable and thread-safe.
 *
 * <p>Credential headers: any header whose name, trimmed and ignoring case, contains {@code token}, {@code secret},
 * {@code key}, {@code auth}, {@code signature}, {@code password}, {@code session} or {@code cookie} ({@code
 * Authorization}, {@code Cookie}, {@code X-Api-Key}, {@code Token}, {@code X-Apikey}, {@code Api_Key}, {@code
 * X-Auth}, ...), except {@code Idempotency-Key}: an identifier that replay needs intact, not a credential.
 */
public final class Redactor {

    /** What a hidden value becomes. */
    public static final String REDACTED = "[REDACTED]";

    /**
     * {@code courier.redact.query-params}'s default: OAuth's and the usual API key names, and the cloud providers'
     * signed-URL parameters (AWS SigV4, Google's V4 signing).
     */
    public static final Set<String> DEFAULT_QUERY_PARAMS = Set.of("access_token", "access-token", "api_key", "apikey",
            "key", "token", "refresh_token", "id_token", "client_secret", "secret", "signature", "sig", "password",
            "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential");

    /** A header whose lower-cased name contains one of these holds a credential. */
    private static final List<String> CREDENTIAL_WORDS = List.of("token", "secret", "key", "auth", "signature",
            "password", "session", "cookie");
    private static final String IDEMPOTENCY_KEY = "idempotency-key";
    /**
     * An absolute URL inside free text, up to a space or quote, without punctuation that ends a sentence: a scheme
     * with {@code //}, or http(s) with any number of slashes or backslashes, which lenient URL parsers read the same.
     */
    private static final Pattern URL_IN_TEXT = Pattern.compile(
            "(?i)\\b(?:[a-z][a-z0-9+.-]*://|https?:[/\\\\]*(?=[^\\s\"'<>/\\\\]*@))[^\\s\"'<>]*[^\\s\"'<>.,;:)]");
    /** The scheme of a URL and the slashes or backslashes after it, which lenient parsers accept in any number. */
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:[/\\\\]*");

    private static final Redactor DEFAULTS = new Redactor(DEFAULT_QUERY_PARAMS);

    private final Set<String> queryParams;

    /** @param queryParams names of the query parameters whose values are hidden, compared ignoring case */
    public Redactor(Set<String> queryParams) {
        Set<String> lower = new TreeSet<>();
        queryParams.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        this.queryParams = Set.copyOf(lower);
    }

    /** The redactor of the default settings. */
    public static Redactor defaults() {
        return DEFAULTS;
    }

    /** Whether the value of header {@code name} is a credential (see the class comment). */
    public static boolean isCredentialHeader(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.equals(IDEMPOTENCY_KEY)) {
            return false;
        }
        for (String word : CREDENTIAL_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code headers} with the values of credential headers hidden; order and names kept. */
    public Map<String, String> headers(Map<String, String> headers) {
        boolean any = headers.keySet().stream().anyMatch(Redactor::isCredentialHeader);
        if (!any) {
            return headers;
        }
        Map<String, String> redacted = new LinkedHashMap<>();
        headers.forEach((name, value) -> redacted.put(name, isCredentialHeader(name) ? REDACTED : value));
        return redacted;
    }

    /**
     * {@code url} with its userinfo and the values of the listed query (and fragment) parameters hidden. Works on
     * the text, so an invalid URL is redacted too; null stays null.
     */
    public String url(String url) {
        if (url == null) {
            return null;
        }
        String result = url;
        Matcher scheme = SCHEME.matcher(result);
        // "http:user:pass@host" has no slashes, yet OkHttp and browsers read user:pass as its userinfo
        if (scheme.find()) {
            int authorityStart = scheme.end();
            int authorityEnd = authorityStart;
            while (authorityEnd < result.length() && "/?#\\".indexOf(result.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            int at = result.lastIndexOf('@', authorityEnd - 1);
            if (at >= authorityStart) {
                result = result.substring(0, authorityStart) + REDACTED + result.substring(at);
            }
        }
        return parameters(result);
    }

    /** A path with its query, as a target's events give it, with the listed parameters' values hidden. */
    public String path(String path) {
        return path == null ? null : parameters(path);
    }

    /** Free text (an error message) with every URL in it redacted as {@link #url} does. */
    public String text(String text) {
        if (text == null || text.indexOf(':') < 0) {
            return text;
        }
        Matcher matcher = URL_IN_TEXT.matcher(text);
        StringBuilder redacted = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(redacted, Matcher.quoteReplacement(url(matcher.group())));
        }
        matcher.appendTail(redacted);
        return redacted.toString();
    }

    /** The event as a dead letter keeps it: headers, URL and path redacted, every other field as written. */
    public RequestSpec request(RequestSpec spec) {
        return new RequestSpec(spec.id(), spec.method(), url(spec.url()), spec.target(), path(spec.path()),
                headers(spec.headers()), spec.body(), spec.contentType(), spec.timeoutMs(), spec.maxAttempts(),
                spec.deadline(), spec.idempotencyKey(), spec.correlationId(), spec.rateLimitKey(), spec.attributes());
    }

    /** Hides the values of the listed parameters in the query and the fragment of {@code text}. */
    private String parameters(String text) {
        int query = text.indexOf('?');
        int fragment = text.indexOf('#');
        if (query < 0 && fragment < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int start = query >= 0 && (fragment < 0 || query < fragment) ? query : fragment;
        out.append(text, 0, start + 1);
        int i = start + 1;
        while (i <= text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != '&' && text.charAt(end) != '#'
                    && text.charAt(end) != ';') {
                end++;
            }
            out.append(parameter(text.substring(i, end)));
            if (end < text.length()) {
                out.append(text.charAt(end));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private String parameter(String pair) {
        int equals = pair.indexOf('=');
        if (equals < 0) {
            return pair;
        }
        String name;
        try {
            name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            name = pair.substring(0, equals);
        }
        return queryParams.contains(name.toLowerCase(Locale.ROOT).trim())
                ? pair.substring(0, equals + 1) + REDACTED
                : pair;
    }
}
