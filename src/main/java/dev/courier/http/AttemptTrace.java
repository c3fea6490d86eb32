package dev.courier.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * How far one attempt got, as OkHttp reports it. One instance per attempt: it rides on the request as a
 * tag and {@link #FACTORY} hands it to OkHttp as that call's event listener.
 *
 * <p>The line that matters is {@link #requestSent()}: it turns true when OkHttp starts writing the
 * request headers ({@code requestHeadersStart}) and never turns back, so a failure before it cannot have
 * reached the server and a failure after it may have.
 *
 * <p>Thread-safe: OkHttp reports connection events from its connect threads and the rest from the
 * calling thread; the calling thread reads.
 */
final class AttemptTrace extends EventListener {

    /** Gives each call the trace tagged on its request; calls without one (none today) get no listener. */
    static final EventListener.Factory FACTORY = call -> {
        AttemptTrace trace = call.request().tag(AttemptTrace.class);
        return trace != null ? trace : EventListener.NONE;
    };

    /** Where the attempt is. Following a redirect starts over at {@link #CONNECTING} or {@link #SENDING}. */
    enum Stage {
        /** Resolving the host name, or not started. */
        STARTING,
        /** Opening a TCP connection. */
        CONNECTING,
        /** Connected; negotiating TLS. */
        TLS_HANDSHAKE,
        /** Writing the request line, headers and body. */
        SENDING,
        /**
         * The request is written, but for what OkHttp flushes last (at most a buffer's worth); waiting for
         * the response headers. OkHttp reports {@code responseHeadersStart} only once they arrive.
         */
        AWAITING_RESPONSE,
        /** The response headers arrived; reading the body. */
        READING_BODY
    }

    private volatile Stage stage = Stage.STARTING;
    private volatile boolean requestSent;
    private volatile InetSocketAddress address;

    /** Whether request headers started to go out: from then on the server may have the request. */
    boolean requestSent() {
        return requestSent;
    }

    Stage stage() {
        return stage;
    }

    /** The address of the last connection attempt, or null when none was made (a pooled connection was used). */
    InetSocketAddress address() {
        return address;
    }

    @Override
    public void connectStart(Call call, InetSocketAddress inetSocketAddress, Proxy proxy) {
        address = inetSocketAddress;
        stage = Stage.CONNECTING;
    }

    @Override
    public void connectFailed(Call call, InetSocketAddress inetSocketAddress, Proxy proxy, Protocol protocol,
            IOException ioe) {
        address = inetSocketAddress;
    }

    @Override
    public void secureConnectStart(Call call) {
        stage = Stage.TLS_HANDSHAKE;
    }

    @Override
    public void requestHeadersStart(Call call) {
        requestSent = true;
        stage = Stage.SENDING;
    }

    @Override
    public void requestHeadersEnd(Call call, Request request) {
        if (request.body() == null) {
            stage = Stage.AWAITING_RESPONSE;
        }
    }

    @Override
    public void requestBodyEnd(Call call, long byteCount) {
        stage = Stage.AWAITING_RESPONSE;
    }

    @Override
    public void responseHeadersEnd(Call call, Response response) {
        stage = Stage.READING_BODY;
    }
}
