package dev.courier.sandbox;

/**
 * A sandbox component could not start. The message is written for the person at the terminal
 * (it names the port, directory or timeout at fault) and can be printed as is.
 */
public final class SandboxStartupException extends RuntimeException {

    SandboxStartupException(String message) {
        super(message);
    }

    SandboxStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
