package dev.courier.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of an HTTP/1.x request as the admin server needs it: the method, the path (decoded, without the query)
 * and the headers (names lower-cased, the first value of each). Read from bytes that hold the whole head; the body,
 * if any, is not read (the admin server answers GET and HEAD only). Immutable.
 *
 * @param method  the request method as sent
 * @param path    the target's path, percent-decoded, without its query
 * @param headers the header values by lower-cased name; a repeated header keeps its first value
 */
record RequestHead(String method, String path, Map<String, String> headers) {

    /** A head that cannot be read; answered with {@link #status()} and the connection closed. */
    static final class Malformed extends Exception {

        private final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Where the head in {@code bytes[0..length)} ends (just past its empty line), or -1 when it has not ended yet.
     * Lines end with CRLF or, leniently, LF.
     */
    static int end(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (i + 1 < length && bytes[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Reads the head in {@code bytes[0..end)}, where {@code end} came from {@link #end}. */
    static RequestHead parse(byte[] bytes, int end) throws Malformed {
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
        String[] request = lines[0].split(" ", -1);
        if (request.length != 3 || !isToken(request[0]) || request[1].isEmpty()) {
            throw new Malformed(400, "the request line is not METHOD TARGET HTTP/1.x");
        }
        if (!request[2].equals("HTTP/1.1") && !request[2].equals("HTTP/1.0")) {
            throw new Malformed(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Malformed(400, "a header line is not NAME: value");
            }
            headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new RequestHead(request[0], path(request[1]), Map.copyOf(headers));
    }

    private static String path(String target) throws Malformed {
        if (!target.startsWith("/")) {
            throw new Malformed(400, "the request target must be a path");
        }
        int query = target.indexOf('?');
        try {
            return new URI(query < 0 ? target : target.substring(0, query)).getPath();
        } catch (URISyntaxException e) {
            throw new Malformed(400, "the request target is not a valid path");
        }
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
