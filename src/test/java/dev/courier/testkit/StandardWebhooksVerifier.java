package dev.courier.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks request, written from the specification alone: the three headers
 * must be present; the timestamp must be within five minutes of the receiver's clock; the key is the base64 after
 * {@code whsec_}; the signed content is the id, a full stop, the timestamp, a full stop and the raw body; each
 * space-separated entry of {@code webhook-signature} that is {@code v1,} and base64 is compared, in constant time,
 * with the HMAC-SHA256 of that content; one match verifies.
 */
public final class StandardWebhooksVerifier {

    private static final long TOLERANCE_SECONDS = 5 * 60;

    private final byte[] key;
    private final Instant receiverNow;

    public StandardWebhooksVerifier(String secret, Instant receiverNow) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a whsec_ secret");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.receiverNow = receiverNow;
    }

    public boolean verify(Map<String, String> received, byte[] rawBody) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(received);
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null || !timestamp.matches("[0-9]{1,19}")) {
            return false;
        }
        long sent = Long.parseLong(timestamp);
        if (Math.abs(receiverNow.getEpochSecond() - sent) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] expected;
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[prefix.length + rawBody.length];
            System.arraycopy(prefix, 0, content, 0, prefix.length);
            System.arraycopy(rawBody, 0, content, prefix.length, rawBody.length);
            expected = hmac.doFinal(content);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String entry : signatures.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }
}
