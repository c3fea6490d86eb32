package dev.courier.ops;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The bytes of the admin server's answers: one HTTP/1.1 response, then the connection closes. Stateless. */
final class ResponseBytes {

    private static final byte[] NO_BODY = new byte[0];

    private ResponseBytes() {
    }

    /**
     * A whole HTTP/1.1 response: status line, {@code Content-Type}, {@code Content-Length}, {@code Cache-Control:
     * no-store}, {@code Connection: close}, the {@code extra} headers, and the body unless {@code headOnly}.
     */
    static byte[] of(int status, String contentType, byte[] body, boolean headOnly, Map<String, String> extra) {
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\nContent-Type: ").append(contentType)
                .append("\r\nContent-Length: ").append(body.length)
                .append("\r\nCache-Control: no-store\r\nConnection: close\r\n");
        extra.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] bodyBytes = headOnly ? NO_BODY : body;
        byte[] response = new byte[headBytes.length + bodyBytes.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(bodyBytes, 0, response, headBytes.length, bodyBytes.length);
        return response;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }
}
