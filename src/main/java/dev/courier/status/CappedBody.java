package dev.courier.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body of at most {@code max} bytes: past them it cancels the rest of the body and fails with
 * {@link TooLarge}, so a peer cannot make {@link HttpForwarder} read an answer of any size. Used by one response on
 * the HTTP client's threads.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was over the cap; reading stopped there. */
    static final class TooLarge extends IOException {

        TooLarge(int max) {
            super("it answered more than " + max + " bytes", null);
        }
    }

    private final int max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBody(int max) {
        this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + buffer.remaining() > max) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(max));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }
}
