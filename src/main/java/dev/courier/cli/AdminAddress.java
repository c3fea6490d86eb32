package dev.courier.cli;

import dev.courier.config.OpsSettings;
import dev.courier.config.SettingKeys;
import java.net.URI;

/**
 * Where {@code courier status} finds an admin server: the URL {@code --admin} gives (with {@code http://} when it
 * has no scheme), or this machine at {@code courier.admin.port}.
 *
 * @param url       the admin server's base URL
 * @param described the URL as messages name it, with where it came from when the settings gave it
 */
record AdminAddress(URI url, String described) {

    /**
     * The address {@code --admin} gives.
     *
     * @throws CommandFailedException when it is not an http(s) URL with a host
     */
    static AdminAddress given(String text) {
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI url;
        try {
            url = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null || url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
            throw new CommandFailedException("--admin must be an http(s) URL such as http://127.0.0.1:8080, not "
                    + text);
        }
        return new AdminAddress(url, url.toString());
    }

    /**
     * This machine's admin server as the settings place it: {@code courier.admin.bind} (its loopback address when it
     * binds every interface) at {@code courier.admin.port}.
     *
     * @throws CommandFailedException when {@code courier.admin.port} is 0, which names no port
     */
    static AdminAddress of(OpsSettings ops) {
        if (ops.adminPort() == 0) {
            throw new CommandFailedException(SettingKeys.ADMIN_PORT.key() + " is 0 (each courier run takes a free"
                    + " port), so it does not say where to ask; give --admin with the port the instance's log names"
                    + " (\"Admin server on ...\")");
        }
        String bind = ops.adminBind();
        String host = switch (bind) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "[::1]";
            default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        };
        URI url = URI.create("http://" + host + ":" + ops.adminPort());
        return new AdminAddress(url, url + " (from " + SettingKeys.ADMIN_BIND.key() + " and "
                + SettingKeys.ADMIN_PORT.key() + "; --admin names another)");
    }
}
