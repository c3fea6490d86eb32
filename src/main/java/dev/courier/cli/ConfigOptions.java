package dev.courier.cli;

import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that reads settings shares: {@code --config FILE} and {@code -Dkey=value}. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with Courier's settings. Environment variables (COURIER_<KEY>) and"
                    + " -D override it. Secrets the settings refer to ($${env:VAR}, $${file:PATH}) are read only where"
                    + " they are used: by courier run at start, and the admin token by courier status; other commands"
                    + " start without them.")
    Path file;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set one setting, overriding the file and the environment, e.g."
                    + " -Dkafka.bootstrap.servers=broker:9092.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * The settings, each secret they refer to read at its first use: a command that uses none starts without them.
     *
     * @throws dev.courier.config.SettingsException naming every unusable or unknown key
     */
    Settings load(Io io) {
        return SettingsLoader.loadLeavingSecretsUnread(sources(io));
    }

    /**
     * The settings with every secret they refer to read now, for {@code courier run}: a secret it cannot read stops
     * it at start, not at its first call to the target.
     *
     * @throws dev.courier.config.SettingsException naming every unusable or unknown key, unreadable secrets included
     */
    Settings loadWithSecrets(Io io) {
        return SettingsLoader.load(sources(io));
    }

    private SettingSources sources(Io io) {
        return SettingSources.standard(Optional.ofNullable(file), io.environment(), overrides);
    }
}
