package dev.courier.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin server's connections, all on one thread ({@code courier-admin-io}) with a selector: it accepts, reads
 * each request head without blocking, hands a complete head to the {@link Handler}, and writes the answer without
 * blocking; one request per connection, which is then closed. No client holds a thread, however slowly it sends or
 * reads: a head must arrive within {@link AdminServer.Limits#headTimeout} (else 408) and fit in
 * {@link AdminServer.Limits#maxHeadBytes} (else 431), an answer must be taken within
 * {@link AdminServer.Limits#writeTimeout}, and at most {@link AdminServer.Limits#maxConnections} connections are
 * open: when a new one comes, the oldest connection still reading or writing is closed to make room, so stalled
 * sockets cannot keep a probe out.
 *
 * <p>Threads: the IO thread owns every connection; {@link Reply#send} may be called from any thread, once per head.
 */
final class AdminConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminConnections.class);
    /** How often deadlines are looked at while connections are open. */
    private static final long TICK_MILLIS = 100;

    /** Answers complete request heads. */
    @FunctionalInterface
    interface Handler {

        /** Called on the IO thread for each head: must not block; answers now or later through {@code reply}. */
        void handle(RequestHead head, Reply reply);
    }

    /** Where the answer to one head goes. */
    @FunctionalInterface
    interface Reply {

        /** Sends {@code response} (a whole HTTP response, {@link ResponseBytes}); calls after the first are ignored. */
        void send(byte[] response);
    }

    private enum Stage { READING, WORKING, WRITING }

    private final class Connection implements Reply {

        private final SocketChannel channel;
        private final SelectionKey key;
        private final AtomicBoolean replied = new AtomicBoolean();
        private Stage stage = Stage.READING;
        private long deadline;
        private ByteBuffer in;
        private ByteBuffer out;

        Connection(SocketChannel channel, SelectionKey key, long deadline) {
            this.channel = channel;
            this.key = key;
            this.deadline = deadline;
        }

        @Override
        public void send(byte[] response) {
            if (replied.compareAndSet(false, true)) {
                answers.add(Map.entry(this, response));
                selector.wakeup();
            }
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final AdminServer.Limits limits;
    private final Handler handler;
    private final Thread thread;
    /** Open connections in the order they came: the IO thread's only. */
    private final Set<Connection> open = new LinkedHashSet<>();
    /** Answers ready to write, at most one per open connection. */
    private final Queue<Map.Entry<Connection, byte[]>> answers = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private AdminConnections(ServerSocketChannel server, Selector selector, AdminServer.Limits limits,
            Handler handler) {
        this.server = server;
        this.selector = selector;
        this.limits = limits;
        this.handler = handler;
        this.thread = new Thread(this::run, "courier-admin-io");
        thread.setDaemon(true);
    }

    /**
     * Listens on {@code address} and starts the IO thread.
     *
     * @throws IOException when the address cannot be bound ({@link java.net.BindException} when the port is taken)
     */
    static AdminConnections open(InetSocketAddress address, AdminServer.Limits limits, Handler handler)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.bind(address, 128);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        AdminConnections connections = new AdminConnections(server, selector, limits, handler);
        connections.thread.start();
        return connections;
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(open.isEmpty() ? 0 : TICK_MILLIS);
                for (Map.Entry<Connection, byte[]> answer; (answer = answers.poll()) != null; ) {
                    startWriting(answer.getKey(), answer.getValue());
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isAcceptable()) {
                        accept();
                    } else if (key.isValid() && key.attachment() instanceof Connection connection) {
                        serve(key, connection);
                    }
                }
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.warn("The admin server stopped: {}", e.toString());
            }
        } finally {
            new ArrayList<>(open).forEach(this::close);
            closeQuietly(server);
            closeQuietly(selector);
        }
    }

    private void accept() throws IOException {
        for (SocketChannel channel; (channel = server.accept()) != null; ) {
            if (open.size() >= limits.maxConnections() && !closeOldestIdle()) {
                closeQuietly(channel);
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                Connection connection = new Connection(channel, key, System.nanoTime() + limits.headTimeout().toNanos());
                key.attach(connection);
                open.add(connection);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    /** Closes the connection open longest that is reading its head or writing its answer; false when none is. */
    private boolean closeOldestIdle() {
        for (Connection connection : open) {
            if (connection.stage != Stage.WORKING) {
                close(connection);
                return true;
            }
        }
        return false;
    }

    private void serve(SelectionKey key, Connection connection) {
        try {
            if (key.isReadable() && connection.stage == Stage.READING) {
                read(connection);
            } else if (key.isWritable() && connection.stage == Stage.WRITING) {
                write(connection);
            }
        } catch (IOException e) {
            close(connection);
        }
    }

    private void read(Connection connection) throws IOException {
        if (connection.in == null) {
            connection.in = ByteBuffer.allocate(limits.maxHeadBytes());
        }
        if (connection.channel.read(connection.in) < 0) {
            close(connection);
            return;
        }
        int end = RequestHead.end(connection.in.array(), connection.in.position());
        if (end < 0) {
            if (!connection.in.hasRemaining()) {
                refuse(connection, 431, "the request head is over " + limits.maxHeadBytes() + " bytes");
            }
            return;
        }
        RequestHead head;
        try {
            head = RequestHead.parse(connection.in.array(), end);
        } catch (RequestHead.Malformed e) {
            refuse(connection, e.status(), e.getMessage());
            return;
        }
        connection.in = null;
        connection.stage = Stage.WORKING;
        connection.key.interestOps(0);
        handler.handle(head, connection);
    }

    private void refuse(Connection connection, int status, String message) {
        if (connection.replied.compareAndSet(false, true)) {
            AdminResponse error = AdminResponse.error(status, message);
            startWriting(connection, ResponseBytes.of(status, error.contentType(), error.body(), false, Map.of()));
        }
    }

    private void startWriting(Connection connection, byte[] response) {
        if (!connection.channel.isOpen()) {
            return; // closed while its answer was being made
        }
        connection.in = null;
        connection.out = ByteBuffer.wrap(response);
        connection.stage = Stage.WRITING;
        connection.deadline = System.nanoTime() + limits.writeTimeout().toNanos();
        try {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            write(connection);
        } catch (IOException | RuntimeException e) {
            close(connection);
        }
    }

    private void write(Connection connection) throws IOException {
        connection.channel.write(connection.out);
        if (!connection.out.hasRemaining()) {
            close(connection);
        }
    }

    private void expire(long now) {
        if (open.isEmpty()) {
            return;
        }
        for (Connection connection : new ArrayList<>(open)) {
            if (connection.stage == Stage.WORKING || now - connection.deadline < 0) {
                continue;
            }
            if (connection.stage == Stage.READING) {
                refuse(connection, 408, "the request head did not arrive within "
                        + limits.headTimeout().toMillis() + " ms");
            } else {
                close(connection);
            }
        }
    }

    private void close(Connection connection) {
        open.remove(connection);
        connection.key.cancel();
        closeQuietly(connection.channel);
    }

    /** Stops accepting, closes every connection and waits up to a second for the IO thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(server);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }
}
