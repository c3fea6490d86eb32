package dev.courier.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * A socket factory for tests of the egress policy that refuses to connect anywhere but this machine's loopback
 * (127.0.0.0/8 and ::1), and records every address it refused: if the policy under test is wrong, the test fails
 * on {@link #offLoopback()} instead of sending traffic off the machine.
 */
final class LoopbackOnlySockets extends SocketFactory {

    private final List<SocketAddress> offLoopback = new CopyOnWriteArrayList<>();
    private final List<SocketAddress> connected = new CopyOnWriteArrayList<>();

    /** Addresses a connection was attempted to that are not loopback; must stay empty. */
    List<SocketAddress> offLoopback() {
        return offLoopback;
    }

    /** Every address a connection was opened to. */
    List<SocketAddress> connected() {
        return connected;
    }

    @Override
    public Socket createSocket() {
        return new Socket(java.net.Proxy.NO_PROXY) {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                InetAddress address = endpoint instanceof InetSocketAddress inet ? inet.getAddress() : null;
                if (address == null || !address.isLoopbackAddress()) {
                    offLoopback.add(endpoint);
                    throw new IOException("test guard: refused to connect off the machine, to " + endpoint);
                }
                connected.add(endpoint);
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new UnsupportedOperationException("OkHttp opens unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new UnsupportedOperationException("OkHttp opens unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new UnsupportedOperationException("OkHttp opens unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw new UnsupportedOperationException("OkHttp opens unconnected sockets");
    }
}
