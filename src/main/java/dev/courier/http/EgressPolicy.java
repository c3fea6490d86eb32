package dev.courier.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.courier.config.EgressSettings;
import okhttp3.HttpUrl;

/**
 * The checks a free URL passes before any connection is made: that an event may call a URL of its own at all, or be
 * redirected out of its target's origin ({@code courier.egress.require-target}), its scheme ({@code https-only}), no
 * userinfo, its host (no IP address in an ambiguous spelling, no address in the deny set, {@code deny-hosts} and
 * {@code allow-hosts}) and its port ({@code allowed-ports}). Host names are judged again by address when they are
 * resolved ({@link PolicyDns}), and the address connected to once more ({@link ConnectedAddressCheck}). Each refusal
 * names the rule that refused. Its settings never change, so the verdict on a host is remembered; thread-safe.
 */
final class EgressPolicy {

    /** How many hosts' verdicts are remembered; past that, those least likely to be asked again are forgotten. */
    static final int REMEMBERED_HOSTS = 4_096;
    /** What {@link #hostVerdicts} holds for a host the policy lets through. */
    private static final String ALLOWED = "";

    private final EgressSettings settings;
    private final AddressPolicy addresses;
    /**
     * The verdict on each host lately asked about: the refusal of {@link #hostRefusal}, or {@link #ALLOWED}. It
     * depends on the host alone and the settings never change, so each call to a known host costs a lookup rather
     * than the literal's parsing and the host patterns' matching (about a tenth of a busy instance's CPU).
     */
    private final Cache<String, String> hostVerdicts = Caffeine.newBuilder().maximumSize(REMEMBERED_HOSTS)
            .executor(Runnable::run).build();

    EgressPolicy(EgressSettings settings, AddressPolicy addresses) {
        this.settings = settings;
        this.addresses = addresses;
    }

    AddressPolicy addresses() {
        return addresses;
    }

    /**
     * Why a call to {@code url} may not be made, or null when it may, as far as can be told before resolving it.
     *
     * @param target the named target of the event, or null for an event with a url: a URL outside the target's
     *               origin is a redirect's
     */
    String refusal(HttpUrl url, String target) {
        if (settings.requireTarget()) {
            if (target == null) {
                return "courier.egress.require-target is true and the event names no target, only a url";
            }
            return "courier.egress.require-target is true and this leaves target " + target + " (only its origin"
                    + " may be called)";
        }
        if (settings.httpsOnly() && !url.isHttps()) {
            return "courier.egress.https-only is true and " + url.scheme() + "://" + shown(url) + " is not https";
        }
        if (!url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
            return "URLs may not carry userinfo (user@host); credentials belong on a named target";
        }
        String verdict = hostVerdicts.get(url.host(), host -> {
            String refusal = hostRefusal(host);
            return refusal == null ? ALLOWED : refusal;
        });
        if (!verdict.isEmpty()) {
            return verdict;
        }
        if (!settings.allowedPorts().contains(url.port())) {
            return "courier.egress.allowed-ports (" + settings.allowedPorts() + ") does not include port " + url.port()
                    + " of " + url.host();
        }
        return null;
    }

    /** Why a call to {@code host} may not be made whatever its scheme and port, or null when it may. */
    private String hostRefusal(String host) {
        HostLiteral literal = HostLiteral.of(host);
        if (literal.kind() == HostLiteral.Kind.AMBIGUOUS) {
            return "host " + host + " is an IP address spelled otherwise than as four decimal numbers"
                    + (literal.address() == null ? "" : " (" + literal.address().getHostAddress() + ")")
                    + "; such spellings are read differently by different parsers and are always refused";
        }
        if (settings.denyHosts().matches(host)) {
            return "courier.egress.deny-hosts (" + settings.denyHosts() + ") matches " + host;
        }
        if (!settings.allowHosts().isEmpty() && !settings.allowHosts().matches(host)) {
            return "courier.egress.allow-hosts (" + settings.allowHosts() + ") does not list " + host;
        }
        if (literal.kind() != HostLiteral.Kind.NAME) {
            String refusal = addresses.refusal(literal.address());
            if (refusal != null) {
                return addressRule(refusal);
            }
        }
        return null;
    }

    /** Why a URL that OkHttp cannot parse is refused by the policy rather than invalid, or null when it is not. */
    static String refusalOfUnparsable(String url) {
        int open = url.indexOf('[');
        int close = url.indexOf(']');
        if (open >= 0 && close > open && url.substring(open, close).indexOf('%') >= 0) {
            return "an IPv6 address with a zone id (" + url.substring(open, close + 1) + ") names a network"
                    + " interface of this machine; zone ids are always refused";
        }
        return null;
    }

    /** A refusal by the deny set, with the way to open an exception. */
    static String addressRule(String refusal) {
        return "the address policy: " + refusal + ", and courier.egress.allow-cidrs does not allow it";
    }

    private static String shown(HttpUrl url) {
        return url.host().indexOf(':') >= 0 ? "[" + url.host() + "]:" + url.port() : url.host() + ":" + url.port();
    }
}
