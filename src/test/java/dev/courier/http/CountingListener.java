package dev.courier.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on a loopback address that counts the connections it accepts and closes each at once: the place a
 * refused request would have gone, which must count zero.
 */
final class CountingListener implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    private CountingListener(ServerSocket socket) {
        this.socket = socket;
        Thread thread = new Thread(this::acceptAll, "counting-listener-" + socket.getLocalSocketAddress());
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on {@code address} at a free port. */
    static CountingListener on(InetAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, 0), 50);
        return new CountingListener(socket);
    }

    /** Whether a listener can be opened on {@code address} here (IPv6 loopback may be missing in a sandbox). */
    static boolean canListenOn(InetAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
