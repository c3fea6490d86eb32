package dev.courier.http;

import java.net.UnknownHostException;

/**
 * The egress policy refused where a call would go. An {@link UnknownHostException} because OkHttp's {@code Dns} may
 * throw only that; the network interceptor throws it too. Its message names the rule and the address or host, never
 * anything the refused address said (none was ever asked).
 */
final class EgressRefusedException extends UnknownHostException {

    EgressRefusedException(String message) {
        super(message);
    }
}
