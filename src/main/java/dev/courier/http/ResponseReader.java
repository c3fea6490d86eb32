package dev.courier.http;

import dev.courier.model.Bytes;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Headers;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Reads a response's status, headers and body, keeping at most {@code maxBytes} of the body. Thread-safe.
 *
 * <p>The cap applies after decompression when OkHttp decompresses, which it does when it asked for gzip
 * itself (the request carried no {@code Accept-Encoding} of its own); then the {@code Content-Encoding}
 * and {@code Content-Length} headers are gone from the response too. Reading stops one byte past the cap
 * (plus at most one 8 KiB read), so an endless or huge body costs the cap, not its length.
 */
final class ResponseReader {

    /**
     * What a response carried.
     *
     * @param headers   header names as the server wrote them, repeated ones' values joined with {@code ", "}
     * @param body      the first {@code maxBytes} bytes of the body
     * @param truncated whether the body went on past them
     */
    record Content(int status, Map<String, String> headers, Bytes body, boolean truncated) {
    }

    private final long maxBytes;

    /** @param maxBytes body bytes kept ({@code courier.http.max-response-bytes}); at most 2 GiB - 2 */
    ResponseReader(long maxBytes) {
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 2) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + (Integer.MAX_VALUE - 2)
                    + ", got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Reads the body up to the cap. Does not close {@code response}: closing a body that goes on past
     * the cap makes OkHttp discard the rest for at most 100 ms, to keep the connection, and then drop
     * the connection.
     *
     * @throws IOException when the body ends early or stalls, or the call times out or is canceled
     */
    Content read(Response response) throws IOException {
        BufferedSource source = response.body().source();
        boolean truncated = source.request(maxBytes + 1);
        byte[] body = source.readByteArray(Math.min(source.getBuffer().size(), maxBytes));
        return new Content(response.code(), joined(response.headers()), Bytes.wrap(body), truncated);
    }

    private static Map<String, String> joined(Headers headers) {
        // Header names are case-insensitive: "X-Id" and "x-id" are one header, named as first seen.
        Map<String, String> joined = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.size(); i++) {
            joined.merge(headers.name(i), headers.value(i), (first, next) -> first + ", " + next);
        }
        return joined;
    }
}
