package dev.courier.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Where an event's request goes, checked: an absolute http(s) URL without credentials, or a named target's base URL
 * with a path that stays under it (no dot segment however a server on the way decodes it, the same host). Part of
 * {@link RequestValidator}'s decision, the one about the URL. Stateless and thread-safe.
 */
final class RequestUrls {

    private RequestUrls() {
    }

    /**
     * The URL the event's request goes to: its {@code url}, or its named target's base URL with its {@code path};
     * null, with the problems recorded, when there is none it may go to. Problems show the event's own text with its
     * credentials redacted.
     */
    static URI resolve(RequestSpec spec, TargetDirectory targets, Redactor redactor, List<String> problems) {
        boolean hasUrl = spec.url() != null;
        boolean hasTarget = spec.target() != null;
        if (hasUrl && hasTarget) {
            problems.add("set either url or target, not both");
            return null;
        }
        if (hasUrl) {
            if (spec.path() != null) {
                problems.add("path goes with target; put it in url instead");
                return null;
            }
            return absoluteHttpUrl("url", spec.url(), redactor.url(spec.url()), 0, problems);
        }
        if (hasTarget) {
            Optional<URI> base = targets.baseUrl(spec.target());
            if (base.isEmpty()) {
                problems.add("target \"" + spec.target() + "\" is not configured (define courier.targets."
                        + spec.target() + ".base-url)");
                return null;
            }
            return underTarget(base.get(), spec.path(), problems, redactor);
        }
        problems.add("url or target is required");
        return null;
    }

    private static URI underTarget(URI base, String path, List<String> problems, Redactor redactor) {
        if (path == null || path.isEmpty()) {
            return base;
        }
        String shown = redactor.path(path);
        if (!path.startsWith("/") || path.startsWith("//")) {
            problems.add("path \"" + shown + "\" must start with a single /");
            return null;
        }
        if (hasDotSegment(path)) {
            problems.add("path \"" + shown + "\" has a dot segment (. or .., percent-encoded or not); a target's"
                    + " path must stay under its base path");
            return null;
        }
        // Problems show the event's path only: a target's base URL may hold a secret in its own path (a webhook)
        String joined = withoutTrailingSlashes(base.toString()) + path;
        URI url = absoluteHttpUrl("path", joined, shown, joined.length() - path.length(), problems);
        if (url != null && (url.getRawAuthority() == null || !url.getRawAuthority().equals(base.getRawAuthority()))) {
            problems.add("path \"" + shown + "\" leaves the target's host");
            return null;
        }
        return url;
    }

    /**
     * Problems echo {@code text}, the field as the event wrote it with its credentials redacted: they end up in dead
     * letters and on consoles.
     *
     * @param offset where the field's own text starts in {@code rawText}, for the index of a syntax error
     */
    private static URI absoluteHttpUrl(String field, String rawText, String text, int offset, List<String> problems) {
        URI url;
        try {
            url = new URI(rawText);
        } catch (URISyntaxException e) {
            problems.add(field + " \"" + text + "\" is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= offset ? " at index " + (e.getIndex() - offset) : ""));
            return null;
        }
        String scheme = url.getScheme();
        if (scheme == null || !url.isAbsolute()) {
            problems.add(field + " \"" + text + "\" must be an absolute http or https URL");
            return null;
        }
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            problems.add(field + " \"" + text + "\" has scheme " + scheme + "; only http and https are allowed");
            return null;
        }
        if (url.getHost() == null) {
            problems.add(field + " \"" + text + "\" has no valid host");
            return null;
        }
        if (url.getRawUserInfo() != null) {
            problems.add(field + " must not carry credentials; configure them on a named target");
            return null;
        }
        return url;
    }

    /**
     * Whether a segment of {@code path} (up to its query or fragment) is {@code .} or {@code ..} as some server on
     * the way may read it: percent-decoded as often as it decodes, with {@code \} as a separator and a {@code ;}
     * parameter cut off ({@code ..;}). Such a path climbs above the target's base path, taking its credentials.
     */
    static boolean hasDotSegment(String path) {
        int end = path.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = path.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String decoded = path.substring(0, end);
        for (int round = 0; round < 4 && decoded.indexOf('%') >= 0; round++) {
            decoded = percentDecoded(decoded);
        }
        for (String segment : decoded.replace('\\', '/').split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = (parameters >= 0 ? segment.substring(0, parameters) : segment).strip();
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with each {@code %XX} turned into its byte, read as Latin-1; other text kept. */
    private static String percentDecoded(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                out.append((char) (high * 16 + low));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String withoutTrailingSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }
}
