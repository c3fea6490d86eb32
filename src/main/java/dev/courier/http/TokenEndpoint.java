package dev.courier.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.config.TargetOAuth2;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * A target's OAuth2 token endpoint, the client credentials grant of RFC 6749 section 4.4: the request that asks for a
 * token, and what its answer means. Messages name the endpoint (its URL has no query or userinfo: the settings refuse
 * them) and the target, and never hold the client secret, a token or the answer's body: of an error answer only its
 * {@code error} code is shown, and only when it is a short word. Stateless and thread-safe.
 */
final class TokenEndpoint {

    /** The most of an answer read: a token answer is small. */
    static final long MAX_ANSWER_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final TargetOAuth2 settings;
    private final HttpUrl url;

    /**
     * What the endpoint gave.
     *
     * @param accessToken the token
     * @param expiresIn   its lifetime, or null when the endpoint gave none
     */
    record Grant(String accessToken, Duration expiresIn) {

        @Override
        public String toString() {
            return "Grant[****, expiresIn=" + expiresIn + "]";
        }
    }

    TokenEndpoint(String target, TargetOAuth2 settings) {
        this.target = target;
        this.settings = settings;
        this.url = HttpUrl.get(settings.tokenUrl().toString());
    }

    /** The endpoint's URL as messages show it. */
    String shown() {
        return url.toString();
    }

    /** The token request: a form POST, the client authenticated as {@code client-auth} says. */
    Request request() {
        FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
        if (settings.scope() != null) {
            form.add("scope", settings.scope());
        }
        if (settings.audience() != null) {
            form.add("audience", settings.audience());
        }
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
        if (settings.clientAuth() == TargetOAuth2.ClientAuth.BASIC) {
            // RFC 6749 2.3.1: the id and the secret are form-encoded before they are joined and base64-encoded
            String pair = formEncoded(settings.clientId()) + ":" + formEncoded(settings.clientSecret().value());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.add("client_id", settings.clientId()).add("client_secret", settings.clientSecret().value());
        }
        return request.post(form.build()).build();
    }

    /**
     * The grant in {@code response}, which this reads but does not close.
     *
     * @throws TokenFetchException when the answer is not a 2xx with a Bearer token
     * @throws IOException         when the answer cannot be read
     */
    Grant read(Response response) throws IOException {
        int status = response.code();
        if (status < 200 || status > 299) {
            String error = status >= 400 && status <= 499 ? errorCode(response) : null;
            throw failure("answered HTTP " + status + (error == null ? "" : " (" + error + ")"),
                    status >= 400 && status <= 499 ? TokenFetch.REJECTED : TokenFetch.ERROR_STATUS);
        }
        JsonNode answer = json(response);
        if (answer == null || !answer.isObject()) {
            throw invalid("is not a JSON object");
        }
        JsonNode token = answer.get("access_token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
            throw invalid("has no access_token");
        }
        if (!isHeaderSafe(token.textValue())) {
            throw invalid("has an access_token that an HTTP header cannot carry");
        }
        JsonNode type = answer.get("token_type");
        if (type != null && !(type.isTextual() && type.textValue().equalsIgnoreCase("bearer"))) {
            throw invalid("has token_type " + shortWord(type.isTextual() ? type.textValue() : type.toString())
                    + ", not Bearer");
        }
        return new Grant(token.textValue(), expiresIn(answer.get("expires_in")));
    }

    /** Why no answer came, as the fetch's failure. */
    TokenFetchException unreachable(IOException e, Duration timeout) {
        String why;
        if (e instanceof UnknownHostException) {
            why = "could not be reached: unknown host " + url.host();
        } else if (e instanceof ConnectException) {
            why = String.valueOf(rootMessage(e)).contains("refused") ? "refused the connection"
                    : "could not be reached: no connection";
        } else if (e instanceof SocketTimeoutException) {
            why = "timed out (connect or read timeout)";
        } else if (e instanceof InterruptedIOException) {
            why = "did not answer within " + timeout.toMillis() + " ms";
        } else if (e instanceof SSLException) {
            why = "could not be reached: the TLS handshake failed";
        } else {
            why = "could not be reached (" + e.getClass().getSimpleName() + ")";
        }
        return failure(why, TokenFetch.UNREACHABLE);
    }

    /** A waiting call's failure: the fetch it waited for did not end within its wait. */
    TokenFetchException notInTime(long waitedNanos) {
        return failure("did not answer within the call's " + Duration.ofNanos(waitedNanos).toMillis() + " ms",
                TokenFetch.UNREACHABLE);
    }

    /** The failure of a call that found the caller closing. */
    TokenFetchException closing() {
        return failure("was not asked: the HTTP caller is closing", TokenFetch.UNREACHABLE);
    }

    private TokenFetchException invalid(String why) {
        return failure("answered without a usable token: its answer " + why, TokenFetch.INVALID_RESPONSE);
    }

    private TokenFetchException failure(String what, TokenFetch result) {
        return new TokenFetchException("no access token for target " + target + ": token endpoint " + shown() + " "
                + what, result);
    }

    private Duration expiresIn(JsonNode value) throws TokenFetchException {
        if (value == null || value.isNull()) {
            return null;
        }
        double seconds;
        if (value.isNumber()) {
            seconds = value.doubleValue();
        } else if (value.isTextual() && value.textValue().matches("\\d{1,12}(\\.\\d{1,9})?")) {
            seconds = Double.parseDouble(value.textValue());
        } else {
            seconds = -1;
        }
        if (!(seconds >= 1) || seconds > 1e12) {
            throw invalid("has an expires_in that is not a number of seconds of at least 1");
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private JsonNode json(Response response) throws IOException {
        BufferedSource source = response.body().source();
        if (source.request(MAX_ANSWER_BYTES + 1)) {
            throw invalid("is over " + MAX_ANSWER_BYTES / 1024 + " KiB");
        }
        try {
            return JSON.readTree(source.getBuffer().readByteArray());
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code error} code of an error answer (RFC 6749 5.2) when it is a short word, else null. */
    private static String errorCode(Response response) {
        try {
            BufferedSource source = response.body().source();
            source.request(MAX_ANSWER_BYTES);
            JsonNode answer = JSON.readTree(source.getBuffer().readByteArray(
                    Math.min(source.getBuffer().size(), MAX_ANSWER_BYTES)));
            JsonNode error = answer == null ? null : answer.get("error");
            return error != null && error.isTextual() && error.textValue().matches("[A-Za-z0-9_.-]{1,40}")
                    ? error.textValue() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String shortWord(String text) {
        return text.matches("[A-Za-z0-9_.-]{1,20}") ? text : "(not shown)";
    }

    /** RFC 6750's token characters and the other printable ASCII a header value may hold, no spaces. */
    private static boolean isHeaderSafe(String token) {
        return token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static String formEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + target + " " + shown() + "]";
    }
}
