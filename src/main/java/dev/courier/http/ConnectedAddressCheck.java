package dev.courier.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The second line behind {@link PolicyDns}: a network interceptor that checks the address the connection actually
 * reached before the request is written on it, so a free URL's request never goes to a refused address even if an
 * address came by another way than the {@code Dns} (a pooled connection, a literal). Thread-safe.
 */
final class ConnectedAddressCheck implements Interceptor {

    private final AddressPolicy policy;

    ConnectedAddressCheck(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection != null) {
            InetSocketAddress reached = connection.route().socketAddress();
            String refusal = reached.getAddress() == null ? null : policy.refusal(reached.getAddress());
            if (refusal != null) {
                throw new EgressRefusedException(EgressPolicy.addressRule("the connection reached " + refusal));
            }
        }
        return chain.proceed(chain.request());
    }
}
