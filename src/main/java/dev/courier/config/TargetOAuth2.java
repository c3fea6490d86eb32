package dev.courier.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a named target gets its access tokens: the OAuth2 client credentials grant (RFC 6749 section 4.4) at a token
 * endpoint the operator wrote, {@code courier.targets.NAME.auth=oauth2} with the {@code oauth2.*} keys. Immutable;
 * {@link #toString()} hides the client secret.
 *
 * @param tokenUrl     the token endpoint
 * @param clientId     the client's identifier
 * @param clientSecret the client's secret, read through its reference
 * @param scope        the scopes asked for, space-separated, or null for none
 * @param audience     the {@code audience} parameter some endpoints require, or null for none
 * @param clientAuth   how the client authenticates to the token endpoint
 */
public record TargetOAuth2(URI tokenUrl, String clientId, Secret clientSecret, String scope, String audience,
        ClientAuth clientAuth) {

    /** How the client id and secret reach the token endpoint (RFC 6749 section 2.3.1). */
    public enum ClientAuth {
        /** {@code Authorization: Basic}, of the form-encoded id and secret: what every token endpoint must accept. */
        BASIC,
        /** {@code client_id} and {@code client_secret} in the request's form. */
        POST
    }

    public TargetOAuth2 {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(clientAuth, "clientAuth");
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("tokenUrl", tokenUrl.toString());
        shown.put("clientId", clientId);
        shown.put("clientSecret", clientSecret.toString());
        if (scope != null) {
            shown.put("scope", scope);
        }
        if (audience != null) {
            shown.put("audience", audience);
        }
        shown.put("clientAuth", clientAuth.name().toLowerCase(Locale.ROOT));
        return "oauth2 " + shown;
    }
}
