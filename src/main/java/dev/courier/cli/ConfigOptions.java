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
                    + " -D override it.")
    Path file;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set one setting, overriding the file and the environment, e.g."
                    + " -Dkafka.bootstrap.servers=broker:9092.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** @throws dev.courier.config.SettingsException naming every unusable or unknown key */
    Settings load(Io io) {
        return SettingsLoader.load(SettingSources.standard(Optional.ofNullable(file), io.environment(), overrides));
    }
}
