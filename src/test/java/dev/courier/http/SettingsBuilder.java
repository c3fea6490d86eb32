package dev.courier.http;

import dev.courier.config.HttpSettings;
import java.time.Duration;

/** HTTP settings for tests: short timeouts, small caps, each changeable. */
final class SettingsBuilder {

    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(5);
    private Duration writeTimeout = Duration.ofSeconds(5);
    private Duration callTimeout = Duration.ofSeconds(8);
    private Duration maxCallTimeout = Duration.ofSeconds(8);
    private boolean followRedirects;
    private long maxRequestBytes = 1024;
    private long maxResponseBytes = 1024;
    private boolean idempotencyKeyFromId = true;
    private int maxRedirects = 5;

    static SettingsBuilder settings() {
        return new SettingsBuilder();
    }

    SettingsBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    SettingsBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    SettingsBuilder callTimeout(Duration timeout, Duration max) {
        this.callTimeout = timeout;
        this.maxCallTimeout = max;
        return this;
    }

    SettingsBuilder followRedirects(boolean follow) {
        this.followRedirects = follow;
        return this;
    }

    SettingsBuilder maxRedirects(int redirects) {
        this.maxRedirects = redirects;
        return this;
    }

    SettingsBuilder maxRequestBytes(long bytes) {
        this.maxRequestBytes = bytes;
        return this;
    }

    SettingsBuilder idempotencyKeyFromId(boolean fromId) {
        this.idempotencyKeyFromId = fromId;
        return this;
    }

    SettingsBuilder maxResponseBytes(long bytes) {
        this.maxResponseBytes = bytes;
        return this;
    }

    HttpSettings build() {
        return new HttpSettings(connectTimeout, readTimeout, writeTimeout, callTimeout, maxCallTimeout,
                followRedirects, maxRequestBytes, maxResponseBytes, 4, Duration.ofMinutes(1), idempotencyKeyFromId,
                maxRedirects, 64, 16 * 1024);
    }
}
