package dev.courier.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Opens plain sockets that never go through a proxy. A socket made with {@code new Socket()} asks the JVM's default
 * {@code ProxySelector} where to connect, and with {@code -DsocksProxyHost} set it connects to that SOCKS proxy
 * instead, even under an OkHttp client built with {@code Proxy.NO_PROXY}: the egress policy would then have judged an
 * address the proxy, not Courier, connects to. A socket made with {@code Proxy.NO_PROXY} connects to the address it is
 * given. Stateless and thread-safe.
 */
final class DirectSockets extends SocketFactory {

    static final DirectSockets INSTANCE = new DirectSockets();

    private DirectSockets() {
    }

    @Override
    public Socket createSocket() {
        return new Socket(Proxy.NO_PROXY);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }
}
