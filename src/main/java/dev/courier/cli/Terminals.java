package dev.courier.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether one of the process's standard streams is a terminal. Stateless. */
final class Terminals {

    static final int STDERR = 2;

    private Terminals() {
    }

    /**
     * True when file descriptor {@code fd} is a terminal. Where {@code /proc/self/fd} exists (Linux) it is read;
     * elsewhere the answer is whether the JVM has a console, which is true when standard input and output are
     * terminals.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return isTerminalDevice(target);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** True for the device files of terminals: {@code /dev/pts/N}, {@code /dev/ttyN}, {@code /dev/console}. */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }
}
