package dev.courier.engine;

import dev.courier.config.Settings;
import java.time.Duration;

/**
 * What {@code courier run} holds deployments to, for the deployment tests outside this package: the start-up checks
 * it makes on settings, and how long a shutdown can take.
 */
public final class RunContract {

    private RunContract() {
    }

    /** @throws dev.courier.config.SettingsException as {@code courier run} would at start, naming the keys */
    public static void checkAtStart(Settings settings) {
        RunChecks.verify(settings, new KafkaClients(settings));
    }

    /** The worst case from SIGTERM to the engine closed (docs/guarantees.md, Shutdown). */
    public static Duration shutdownBound(Settings settings) {
        return Engine.shutdownBound(settings);
    }
}
