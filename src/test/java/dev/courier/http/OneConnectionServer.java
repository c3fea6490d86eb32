package dev.courier.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on 127.0.0.1 that serves one connection with a handler, for what MockWebServer does not
 * do: reset a connection, or answer a TLS handshake with plain text.
 */
final class OneConnectionServer implements AutoCloseable {

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket listener;
    private final CompletableFuture<Void> served = new CompletableFuture<>();

    private OneConnectionServer(Handler handler) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(5_000);
                handler.handle(socket);
                served.complete(null);
            } catch (IOException | RuntimeException e) {
                served.completeExceptionally(e);
            }
        }, "one-connection-server");
        thread.setDaemon(true);
        thread.start();
    }

    static OneConnectionServer start(Handler handler) throws IOException {
        return new OneConnectionServer(handler);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Waits, at most 5 s, for the handler to finish; rethrows what it threw. */
    void awaitServed() throws Exception {
        served.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    /** Reads up to the end of a request head (the blank line), and returns it. */
    static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                throw new IOException("the client closed before sending a whole request head: " + head);
            }
            head.append((char) next);
        }
        return head.toString();
    }
}
