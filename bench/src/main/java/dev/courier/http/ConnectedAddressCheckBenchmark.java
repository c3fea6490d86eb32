package dev.courier.http;

import dev.courier.config.CidrSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.Address;
import okhttp3.Authenticator;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.Connection;
import okhttp3.ConnectionSpec;
import okhttp3.Handshake;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@link ConnectedAddressCheck} costs per request, the rest of OkHttp's chain left out (the chain here answers
 * at once), when the connection reached a public address that {@link PolicyDns} returned: the common case. Written
 * against what the commit before the fast path (issue 21 section 3) has too, so the same class measures both: run it
 * with that commit's classes first on the classpath for the "before" figure, which is a full walk of the deny set.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectedAddressCheckBenchmark {

    private ConnectedAddressCheck check;
    private Interceptor.Chain publicAddress;

    @Setup
    public void setUp() throws UnknownHostException {
        Request request = new Request.Builder().url("http://api.example.com/x").build();
        Response response = new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK").build();
        AddressPolicy policy = new AddressPolicy(CidrSet.empty(), Set::of);
        InetAddress resolved = InetAddress.getByAddress("api.example.com", new byte[] {93, (byte) 184, (byte) 216, 34});
        // as PolicyDns does for each address it returns
        if (policy.refusal(resolved) != null) {
            throw new IllegalStateException("a public address was refused");
        }
        check = new ConnectedAddressCheck(policy);
        publicAddress = new FixedChain(request, response, resolved);
    }

    @Benchmark
    public Response resolvedAddress() throws IOException {
        return check.intercept(publicAddress);
    }

    /** A chain whose connection reached {@code reached} and whose next step answers {@code response} at once. */
    private static final class FixedChain implements Interceptor.Chain, Connection {

        private final Request request;
        private final Response response;
        private final Route route;

        FixedChain(Request request, Response response, InetAddress reached) {
            this.request = request;
            this.response = response;
            Address address = new Address("api.example.com", 80, hostname -> List.of(reached),
                    SocketFactory.getDefault(), null, null, (CertificatePinner) null, Authenticator.NONE,
                    Proxy.NO_PROXY, List.of(Protocol.HTTP_1_1), List.of(ConnectionSpec.CLEARTEXT),
                    ProxySelector.getDefault());
            this.route = new Route(address, Proxy.NO_PROXY, new InetSocketAddress(reached, 80));
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response proceed(Request next) {
            return response;
        }

        @Override
        public Connection connection() {
            return this;
        }

        @Override
        public Call call() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int connectTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int readTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int writeTimeoutMillis() {
            return 0;
        }

        @Override
        public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public Route route() {
            return route;
        }

        @Override
        public Socket socket() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Handshake handshake() {
            return null;
        }

        @Override
        public Protocol protocol() {
            return Protocol.HTTP_1_1;
        }
    }
}
