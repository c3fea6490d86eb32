package dev.courier.sandbox;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port choices on 127.0.0.1, the only address the sandbox binds. Stateless and thread-safe. */
final class LoopbackPorts {

    /** The address every sandbox socket binds and advertises. */
    static final String HOST = "127.0.0.1";

    private LoopbackPorts() {}

    /**
     * Validates a configured port.
     *
     * @param setting the option's name, used in the message
     * @throws IllegalArgumentException unless {@code 0 <= port <= 65535}
     */
    static int requireValid(String setting, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(
                    setting + " must be between 0 (a free port) and 65535 but was " + port);
        }
        return port;
    }

    /**
     * Resolves a configured port: {@code 0} becomes a port that was free a moment ago (another
     * process may still take it before we bind); any other port is returned as is.
     */
    static int resolve(int configured) {
        return configured == 0 ? freePort() : configured;
    }

    /** Throws {@link #inUse(int)} unless {@code port} can be bound on 127.0.0.1 right now. */
    static void requireFree(int port) {
        if (!isFree(port)) {
            throw inUse(port);
        }
    }

    /** A port on 127.0.0.1 that was free when this returned. */
    static int freePort() {
        try (ServerSocket probe = bind(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new SandboxStartupException("cannot find a free port on 127.0.0.1: " + e, e);
        }
    }

    /** True if {@code port} can be bound on 127.0.0.1 right now. */
    static boolean isFree(int port) {
        try {
            bind(port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The error for a port that another process holds; its message is shown to the user. */
    static SandboxStartupException inUse(int port) {
        return new SandboxStartupException(
                "port " + port + " is already in use; choose another or 0 for a free port");
    }

    /** True if {@code failure} or one of its first 32 causes is a failure to bind a socket. */
    static boolean isBindFailure(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
