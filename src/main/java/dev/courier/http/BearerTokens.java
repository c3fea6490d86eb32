package dev.courier.http;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The interceptor of a target with {@code auth=oauth2}: sends each request with {@code Authorization: Bearer} and the
 * target's current token, and after a 401 repeats it once with a new token when {@link TokenSource#renewal} gives one
 * (a 401 to the repeat stands). Waiting for a token takes at most the call's own timeout, measured from the start of
 * this interceptor. Only on the target's client, so only the target's origin sees the token. Thread-safe.
 */
final class BearerTokens implements Interceptor {

    static final int UNAUTHORIZED = 401;

    private final TokenSource tokens;

    BearerTokens(TokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long timeout = chain.call().timeout().timeoutNanos();
        long start = System.nanoTime();
        AccessToken token = tokens.token(timeout);
        Response response = chain.proceed(authorized(chain.request(), token));
        if (response.code() != UNAUTHORIZED) {
            return response;
        }
        CompletableFuture<AccessToken> renewal;
        try {
            renewal = tokens.renewal(token);
        } catch (IOException | RuntimeException e) {
            response.close();
            throw e;
        }
        if (renewal == null) {
            return response;
        }
        response.close();
        long left = timeout == 0 ? 0 : Math.max(1, timeout - (System.nanoTime() - start));
        return chain.proceed(authorized(chain.request(), tokens.await(renewal, left)));
    }

    private static Request authorized(Request request, AccessToken token) {
        return request.newBuilder().header("Authorization", token.header()).build();
    }
}
