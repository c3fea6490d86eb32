package dev.courier.http;

import static dev.courier.model.AttemptResult.Failure.Kind.MAYBE_DELIVERED;
import static dev.courier.model.AttemptResult.Failure.Kind.NOT_SENT;
import static dev.courier.model.AttemptResult.Failure.Kind.REFUSED_BY_POLICY;

import dev.courier.config.HttpSettings;
import dev.courier.http.AttemptTrace.Stage;
import dev.courier.model.AttemptResult.Failure;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Names what went wrong with an attempt that got no response, and whether the request may have reached
 * the server: before OkHttp started writing the request headers it cannot have ({@code NOT_SENT}), after
 * it may have ({@code MAYBE_DELIVERED}). Messages are for people reading dead letters. Thread-safe.
 *
 * <p>What OkHttp 5 reports, and what it becomes here:
 * <ul>
 *   <li>{@code UnknownHostException} from the {@code Dns}: "unknown host ..."
 *   <li>{@code ConnectException("Failed to connect to ...")} caused by "Connection refused": "connection
 *       refused by ..."
 *   <li>{@code SocketTimeoutException("Connect timed out")} while connecting: a connect timeout
 *   <li>{@code SSLException} (such as {@code SSLHandshakeException}) before sending: a failed handshake
 *   <li>{@code SocketTimeoutException} after sending: a read timeout, or a write timeout while sending
 *   <li>{@code InterruptedIOException("timeout")} on a canceled call: the whole-call timeout, or
 *       {@code IOException("Canceled")} or a closed socket when {@link OkHttpCaller#close()} canceled it
 *   <li>{@code IOException("unexpected end of stream on ...")} caused by {@code EOFException}: the server
 *       closed the connection before a response; {@code ProtocolException("unexpected end of stream")}
 *       or an {@code EOFException}: it closed in the middle of the body
 *   <li>{@code SocketException("Connection reset")}: a TCP reset; {@code SocketException("Broken pipe")}:
 *       writing to a connection the server has closed
 *   <li>{@link TokenFetchException} from an OAuth2 target's interceptor: no access token, {@code NOT_SENT} with its
 *       message, which names the token endpoint
 * </ul>
 */
final class FailureClassifier {

    private final HttpSettings settings;

    FailureClassifier(HttpSettings settings) {
        this.settings = settings;
    }

    /**
     * @param canceled whether the call was canceled: by its whole-call timeout, or by {@code closing}
     * @param closing  whether the caller is closing, which cancels every call in progress
     */
    Failure classify(IOException e, Attempt attempt, boolean canceled, boolean closing) {
        AttemptTrace trace = attempt.trace();
        EgressRefusedException refused = refusal(e);
        if (refused != null) {
            return attempt.failure(REFUSED_BY_POLICY, refused.getMessage());
        }
        TokenFetchException noToken = cause(e, TokenFetchException.class);
        if (noToken != null) {
            // the target was not called, or refused the token it got (401): nothing was done, so it is safe to repeat
            return attempt.failure(NOT_SENT, noToken.getMessage());
        }
        if (canceled) {
            return canceled(attempt, closing);
        }
        if (isInterrupt(e)) {
            return interrupted(attempt);
        }
        return trace.requestSent() ? afterSending(e, attempt) : beforeSending(e, attempt);
    }

    /** The calling thread was interrupted (the caller re-asserts the interrupt). */
    Failure interrupted(Attempt attempt) {
        return attempt.trace().requestSent()
                ? attempt.failure(MAYBE_DELIVERED, "interrupted after the request was sent")
                : attempt.failure(NOT_SENT, "interrupted before the request was sent");
    }

    private Failure canceled(Attempt attempt, boolean closing) {
        AttemptTrace trace = attempt.trace();
        String when = trace.requestSent() ? "after the request was sent" : "before the request was sent";
        if (closing) {
            return attempt.failure(trace.requestSent() ? MAYBE_DELIVERED : NOT_SENT,
                    "canceled " + when + ": the HTTP caller is closing");
        }
        String message = "call timed out after " + attempt.timeout().toMillis() + " ms";
        return switch (trace.stage()) {
            case STARTING -> attempt.timeout(NOT_SENT, message + " " + when);
            case CONNECTING -> attempt.timeout(NOT_SENT, message + " while connecting to " + address(attempt));
            case TLS_HANDSHAKE -> attempt.timeout(NOT_SENT,
                    message + " during the TLS handshake with " + address(attempt));
            case READING_BODY -> attempt.timeout(MAYBE_DELIVERED, message + " while reading the response body");
            case SENDING, AWAITING_RESPONSE -> attempt.timeout(MAYBE_DELIVERED, message);
        };
    }

    private Failure beforeSending(IOException e, Attempt attempt) {
        String address = address(attempt);
        String message;
        if (e instanceof SocketTimeoutException) {
            return attempt.timeout(NOT_SENT, attempt.trace().stage() == Stage.TLS_HANDSHAKE
                    ? "TLS handshake with " + address + " timed out after " + settings.readTimeout().toMillis()
                            + " ms (read timeout)"
                    : "could not connect to " + address + " within " + settings.connectTimeout().toMillis()
                            + " ms (connect timeout)");
        }
        if (e instanceof UnknownHostException) {
            message = "unknown host " + attempt.request().url().getHost();
        } else if (e instanceof SSLException) {
            message = "TLS handshake with " + address + " failed: " + e.getMessage();
        } else if (e instanceof ConnectException && rootMessage(e).contains("refused")) {
            message = "connection refused by " + address;
        } else if (e instanceof ConnectException) {
            message = "could not connect to " + address + ": " + rootMessage(e);
        } else {
            message = "request not sent: " + describe(e);
        }
        return attempt.failure(NOT_SENT, message);
    }

    private Failure afterSending(IOException e, Attempt attempt) {
        Stage stage = attempt.trace().stage();
        String message;
        if (e instanceof SocketTimeoutException) {
            return attempt.timeout(MAYBE_DELIVERED, switch (stage) {
                case SENDING -> "the request stalled for " + settings.writeTimeout().toMillis()
                        + " ms while being sent (write timeout)";
                case READING_BODY -> "the response body stalled for " + settings.readTimeout().toMillis()
                        + " ms (read timeout)";
                default -> "no response within " + settings.readTimeout().toMillis() + " ms (read timeout)";
            });
        }
        if (causedBy(e, "Broken pipe") || (stage == Stage.SENDING && causedBy(e, "Connection reset"))) {
            message = "the connection broke while the request was being sent";
        } else if (causedBy(e, "Connection reset")) {
            message = stage == Stage.READING_BODY
                    ? "connection reset while reading the response body"
                    : "connection reset after the request was sent";
        } else if (isOverHeaderLimit(e)) {
            message = "the response head was cut off, or is over the HTTP client's limit of 256 KiB";
        } else if (isEndOfStream(e)) {
            message = switch (stage) {
                case SENDING -> "the server closed the connection while the request was being sent";
                case READING_BODY -> "the server closed the connection in the middle of the response body";
                default -> "the server closed the connection without a response";
            };
        } else if (e instanceof ProtocolException) {
            message = "malformed response: " + e.getMessage();
        } else {
            message = "request sent, then " + describe(e);
        }
        return attempt.failure(MAYBE_DELIVERED, message);
    }

    /** The egress policy's refusal behind {@code e}, from the {@code Dns} or the network interceptor, or null. */
    private static EgressRefusedException refusal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EgressRefusedException refused) {
                return refused;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof EgressRefusedException refused) {
                    return refused;
                }
            }
        }
        return null;
    }

    /** The first cause of {@code e} (itself included) of {@code type}, or null. */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** okio throws "interrupted" when it finds the thread interrupted; a plain socket read does not notice. */
    private static boolean isInterrupt(IOException e) {
        return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                && "interrupted".equals(e.getMessage());
    }

    /**
     * okio's message when a response head line does not end: OkHttp's 256 KiB limit on response headers was reached,
     * or the stream ended in the middle of a line. ({@code limit=0} is a stream that ended with nothing more: a close.)
     */
    private static boolean isOverHeaderLimit(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof EOFException && message.startsWith("\\n not found: limit=")
                    && !message.startsWith("\\n not found: limit=0 ")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEndOfStream(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EOFException
                    || String.valueOf(cause.getMessage()).startsWith("unexpected end of stream")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, String message) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(message)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
    }

    /** Where the attempt was connecting, as {@code host:port}: the address tried, else the URL's. */
    private static String address(Attempt attempt) {
        InetSocketAddress address = attempt.trace().address();
        if (address != null && address.getAddress() != null) {
            String host = address.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        }
        URI url = attempt.request().url();
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
