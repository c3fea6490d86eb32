package dev.courier.http;

import java.io.IOException;
import java.net.InetAddress;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The second line behind {@link PolicyDns}: a network interceptor that checks the address the connection actually
 * reached before the request is written on it, so a free URL's request never goes to a refused address even if an
 * address came by another way than the {@code Dns} (a pooled connection, a literal). It runs for every request, so
 * an address the policy has already found allowed (as {@link PolicyDns} does for each address it returns) costs a
 * lookup, not a walk of the deny set; any other address is judged in full. Thread-safe.
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
            InetAddress reached = connection.route().socketAddress().getAddress();
            if (reached != null && !policy.vetted(reached)) {
                String refusal = policy.refusal(reached);
                if (refusal != null) {
                    throw new EgressRefusedException(EgressPolicy.addressRule("the connection reached " + refusal));
                }
            }
        }
        return chain.proceed(chain.request());
    }
}
