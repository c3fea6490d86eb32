package dev.courier.config;

import dev.courier.config.SettingSources.RawValue;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the credentials of one named target that come from more than a secret: its OAuth2 client
 * ({@code auth=oauth2}, the {@code oauth2.*} keys) and its signing secrets ({@code signing}, {@code signing.*}), with
 * each secret read through its reference as {@code auth-secret} is. Records a problem, naming the key, for each that
 * is missing or cannot be used; never shows a secret. Used by the settings loader, once per target.
 */
final class TargetCredentialsReader {

    private final String name;
    private final Map<String, RawValue> keys;
    private final SecretReferences secrets;
    private final List<String> problems;

    /**
     * @param keys     the target's keys after {@code courier.targets.NAME.}, with their raw values
     * @param problems where problems are recorded
     */
    TargetCredentialsReader(String name, Map<String, RawValue> keys, SecretReferences secrets, List<String> problems) {
        this.name = name;
        this.keys = keys;
        this.secrets = secrets;
        this.problems = problems;
    }

    private String key(String suffix) {
        return TargetsReader.targetKey(name, suffix);
    }

    private <T> T get(String suffix) {
        return TargetsReader.targetValue(name, keys, suffix, problems);
    }

    /** The keys of {@code prefix} (such as {@code oauth2.}) this target sets, in order. */
    private List<String> present(String prefix) {
        return keys.keySet().stream().filter(suffix -> suffix.startsWith(prefix)).toList();
    }

    /**
     * A secret by reference, or null (with a problem recorded) when it cannot be read: read now, or at its first use
     * when the command reads no secrets at load (only {@code courier run} does).
     */
    private Secret secret(String suffix) {
        RawValue reference = keys.get(suffix);
        try {
            return secrets.resolve(key(suffix) + " (from " + reference.origin() + ")", reference.text());
        } catch (IllegalArgumentException e) {
            problems.add(key(suffix) + " (from " + reference.origin() + ") " + e.getMessage());
            return null;
        }
    }

    /** The OAuth2 settings of {@code auth=oauth2}; null, with a problem for each key missing or unusable. */
    TargetOAuth2 oauth2(TargetAuth.Method method) {
        List<String> present = present("oauth2.");
        if (method == null || method.scheme() != TargetAuth.Scheme.OAUTH2) {
            if (!present.isEmpty() && (method != null || !keys.containsKey("auth"))) {
                problems.add(String.join(", ", present.stream().map(this::key).toList()) + " need "
                        + key("auth") + "=oauth2");
            }
            return null;
        }
        if (keys.containsKey("auth-secret")) {
            problems.add(key("auth-secret") + " does not go with " + key("auth") + "=oauth2, whose tokens come"
                    + " from " + key("oauth2.token-url") + " with " + key("oauth2.client-secret"));
        }
        List<String> missing = Stream.of("oauth2.token-url", "oauth2.client-id",
                "oauth2.client-secret").filter(suffix -> !keys.containsKey(suffix)).toList();
        if (!missing.isEmpty()) {
            problems.add(key("auth") + "=oauth2 needs " + String.join(", ", missing.stream().map(this::key).toList())
                    + " (client-secret by reference, such as ${env:VAR})");
            return null;
        }
        URI tokenUrl = get("oauth2.token-url");
        String clientId = clientId();
        Secret clientSecret = secret("oauth2.client-secret");
        String scope = get("oauth2.scope");
        String audience = get("oauth2.audience");
        TargetOAuth2.ClientAuth clientAuth = keys.containsKey("oauth2.client-auth") ? get("oauth2.client-auth")
                : SettingKeys.TARGET_OAUTH2_CLIENT_AUTH.parse(SettingKeys.TARGET_OAUTH2_CLIENT_AUTH.defaultText());
        if (tokenUrl == null || clientId == null || clientSecret == null || clientAuth == null
                || (keys.containsKey("oauth2.scope") && scope == null)
                || (keys.containsKey("oauth2.audience") && audience == null)) {
            return null;
        }
        return new TargetOAuth2(tokenUrl, clientId, clientSecret, scope, audience, clientAuth);
    }

    /** The client id, written out or by reference; null (with a problem recorded) when unusable. */
    private String clientId() {
        RawValue value = keys.get("oauth2.client-id");
        String text = value.text().trim();
        try {
            if (SecretReferences.isReference(text)) {
                return secrets.readsAtLoad() ? secrets.resolve(text).value() : text; // read by courier run only
            }
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                throw new IllegalArgumentException("must be a non-empty value of printable ASCII, or a reference"
                        + " such as ${env:VAR}");
            }
            return text;
        } catch (IllegalArgumentException e) {
            problems.add(key("oauth2.client-id") + " (from " + value.origin() + ") " + e.getMessage());
            return null;
        }
    }

    /** The signing settings of {@code signing=standard-webhooks}; null, with problems, when unusable or unset. */
    TargetSigning signing() {
        List<String> secretKeys = present("signing.");
        if (!keys.containsKey("signing")) {
            if (!secretKeys.isEmpty()) {
                problems.add(String.join(", ", secretKeys.stream().map(this::key).toList()) + " need "
                        + key("signing") + "=standard-webhooks");
            }
            return null;
        }
        TargetSigning.Scheme scheme = get("signing");
        if (!keys.containsKey("signing.secret")) {
            problems.add(key("signing") + " needs " + key("signing.secret") + ": a reference such as ${env:VAR}"
                    + " to a whsec_ secret");
            return null;
        }
        Secret secret = signingSecret("signing.secret");
        Secret previous = keys.containsKey("signing.previous-secret") ? signingSecret("signing.previous-secret")
                : null;
        if (scheme == null || secret == null || (keys.containsKey("signing.previous-secret") && previous == null)) {
            return null;
        }
        return new TargetSigning(secret, previous);
    }

    private Secret signingSecret(String suffix) {
        Secret secret = secret(suffix);
        if (secret == null || !secrets.readsAtLoad()) {
            return secret; // a secret not read at load is checked when it is
        }
        try {
            TargetSigning.key(secret);
            return secret;
        } catch (IllegalArgumentException e) {
            problems.add(key(suffix) + " (from " + keys.get(suffix).origin() + ") " + e.getMessage());
            return null;
        }
    }
}
