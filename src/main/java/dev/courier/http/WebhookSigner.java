package dev.courier.http;

import dev.courier.config.TargetSigning;
import dev.courier.model.DispatchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * The interceptor of a target with {@code signing=standard-webhooks}: signs each request as it is sent, as the
 * Standard Webhooks specification (1.0, symmetric) defines. The headers:
 *
 * <ul>
 *   <li>{@code webhook-id}: the event's idempotencyKey, else its id ({@link #webhookId}); the same on every attempt,
 *       redirect and replay of the event;
 *   <li>{@code webhook-timestamp}: the attempt's time, whole seconds since the epoch, from the caller's clock;
 *   <li>{@code webhook-signature}: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body} with the
 *       secret's key, the body being the bytes sent (none: empty); while a previous secret is set, a second
 *       {@code v1,} signature with its key, after a space.
 * </ul>
 *
 * Only on the target's client, so a redirect to another origin carries none of them. Thread-safe.
 */
final class WebhookSigner implements Interceptor {

    /** The event's webhook-id, carried on the request as a tag by {@link TargetRoute}. */
    record WebhookId(String value) {
    }

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final SecretKeySpec previousKey;
    private final Clock clock;

    WebhookSigner(TargetSigning signing, Clock clock) {
        this.key = new SecretKeySpec(signing.key(), HMAC);
        this.previousKey = signing.previousSecret() == null ? null : new SecretKeySpec(signing.previousKey(), HMAC);
        this.clock = clock;
    }

    /**
     * The webhook-id of {@code request}: its idempotencyKey, else its id, which both stay the same across retries and
     * replays.
     *
     * @throws IllegalArgumentException when that value holds a {@code .} (the specification forbids it: it would let
     *                                  the signed text be split another way) or characters a header cannot carry
     */
    static String webhookId(DispatchRequest request, String target) {
        boolean fromKey = request.idempotencyKey() != null;
        String id = fromKey ? request.idempotencyKey() : request.id();
        String what = fromKey ? "its idempotencyKey" : "its id (it has no idempotencyKey)";
        if (id.isEmpty() || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("target " + target + " signs its calls with webhook-id, " + what
                    + ", which must be printable ASCII without spaces");
        }
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("target " + target + " signs its calls with webhook-id, " + what
                    + ", which must not hold '.' (Standard Webhooks signs id.timestamp.body)");
        }
        return id;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        WebhookId id = request.tag(WebhookId.class);
        if (id == null) {
            throw new IllegalStateException("a request of a signed target carries no webhook-id");
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        byte[] body = bytes(request.body());
        String signature = signature(key, id.value(), timestamp, body)
                + (previousKey == null ? "" : " " + signature(previousKey, id.value(), timestamp, body));
        return chain.proceed(request.newBuilder()
                .header("webhook-id", id.value())
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .build());
    }

    /** {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body} under {@code key}. */
    static String signature(SecretKeySpec key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] bytes(RequestBody body) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        Buffer buffer = new Buffer();
        body.writeTo(buffer);
        return buffer.readByteArray();
    }
}
