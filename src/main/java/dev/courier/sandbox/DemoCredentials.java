package dev.courier.sandbox;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the demo target checks on its protected paths, with fixed, public demo credentials (the files under
 * {@code examples/secrets/} hold the same values): an OAuth2 token endpoint for the client credentials grant, the
 * bearer tokens it issued, and Standard Webhooks signatures. For development and tests only: the credentials are
 * published. Thread-safe.
 */
final class DemoCredentials {

    /** The demo OAuth2 client. */
    static final String CLIENT_ID = "demo-client";
    static final String CLIENT_SECRET = "demo-client-secret-for-the-sandbox-only";
    /** The demo signing secret: whsec_ and the base64 of "courier-demo-signing-key-32bytes". */
    static final String SIGNING_SECRET = "whsec_Y291cmllci1kZW1vLXNpZ25pbmcta2V5LTMyYnl0ZXM=";
    /** How long an issued token is good for. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    /** How far a signature's timestamp may be from the demo target's clock, as the specification suggests. */
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private static final int MAX_TOKENS = 100_000;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Issued tokens and when each expires, in epoch milliseconds. */
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final byte[] signingKey = Base64.getDecoder().decode(SIGNING_SECRET.substring("whsec_".length()));

    /** What the token endpoint answers: a status and a JSON body. */
    record Answer(int status, String json) {
    }

    DemoCredentials(Clock clock) {
        this.clock = clock;
    }

    /**
     * The token endpoint's answer to a POST with {@code authorization} (its header, or null) and {@code form} (its
     * body): RFC 6749 section 4.4, the client authenticated by HTTP Basic or in the form.
     */
    Answer token(String authorization, String form) {
        Map<String, String> fields = parseForm(form);
        if (!"client_credentials".equals(fields.get("grant_type"))) {
            return new Answer(400, "{\"error\":\"unsupported_grant_type\"}");
        }
        String id = fields.get("client_id");
        String secret = fields.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                pair = "";
            }
            int colon = pair.indexOf(':');
            id = colon < 0 ? null : URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
            secret = colon < 0 ? null : URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        }
        if (!CLIENT_ID.equals(id) || secret == null || !MessageDigest.isEqual(
                CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            return new Answer(401, "{\"error\":\"invalid_client\"}");
        }
        if (tokens.size() > MAX_TOKENS) {
            tokens.clear();
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, clock.millis() + TOKEN_LIFETIME.toMillis());
        return new Answer(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + TOKEN_LIFETIME.toSeconds() + "}");
    }

    /** Whether {@code authorization} is {@code Bearer} and a token this endpoint issued that has not expired. */
    boolean isAuthorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        Long expires = tokens.get(authorization.substring(7).trim());
        return expires != null && clock.millis() < expires;
    }

    /**
     * Whether the request's Standard Webhooks headers sign {@code body} with the demo secret, at a time within the
     * tolerance of this clock.
     */
    boolean isSigned(Headers headers, byte[] body) {
        String id = headers.getFirst("webhook-id");
        String timestamp = headers.getFirst("webhook-timestamp");
        String signatures = headers.getFirst("webhook-signature");
        if (id == null || timestamp == null || signatures == null || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) > TIMESTAMP_TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.trim().split(" +")) {
            if (signature.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: not this one
                }
            }
        }
        return false;
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
