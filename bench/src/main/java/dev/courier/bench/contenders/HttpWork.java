package dev.courier.bench.contenders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The per-event work of the HTTP contenders: the call the event describes, made with one shared OkHttp client set up
 * as Courier sets up its own (a pool as large as the concurrency, no silent retries, 30 s timeouts), and the outcome
 * that goes to the results topic: a small JSON document with the request id, status, latency and the response body.
 * Thread-safe.
 */
final class HttpWork {

    private final OkHttpClient client;

    HttpWork(int concurrency) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(concurrency);
        client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(concurrency, 4, TimeUnit.SECONDS))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(30, TimeUnit.SECONDS)
                .callTimeout(30, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    /** Makes the call and returns the outcome's value; a failed call is an outcome too (status 0). */
    byte[] call(RequestReader.Request event) {
        long started = System.nanoTime();
        int status;
        String body;
        try (Response response = client.newCall(toHttp(event)).execute()) {
            status = response.code();
            ResponseBody responseBody = response.body();
            body = responseBody == null ? "" : responseBody.string();
        } catch (IOException e) {
            status = 0;
            body = String.valueOf(e.getMessage());
        }
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return outcome(event.id(), status, latencyMs, body);
    }

    private static Request toHttp(RequestReader.Request event) {
        RequestBody body = null;
        if (event.body() != null) {
            MediaType type = event.contentType() == null ? null : MediaType.parse(event.contentType());
            body = RequestBody.create(event.body(), type);
        }
        Request.Builder builder = new Request.Builder().url(event.url()).method(event.method(), body);
        event.headers().forEach(builder::header);
        return builder.build();
    }

    static byte[] outcome(String requestId, int status, long latencyMs, String body) {
        StringBuilder json = new StringBuilder(96 + body.length());
        json.append("{\"requestId\":\"").append(requestId).append("\",\"statusCode\":").append(status)
                .append(",\"latencyMs\":").append(latencyMs).append(",\"body\":\"");
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c >= 0x20) {
                json.append(c);
            }
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
