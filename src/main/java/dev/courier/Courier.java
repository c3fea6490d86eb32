package dev.courier;

import dev.courier.cli.CourierCommand;
import dev.courier.cli.Io;

/** Entry point of {@code courier}: runs one command and exits with its code. */
public final class Courier {

    private Courier() {
    }

    public static void main(String[] args) {
        System.exit(CourierCommand.execute(Io.system(), args));
    }
}
