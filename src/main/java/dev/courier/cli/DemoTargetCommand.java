package dev.courier.cli;

import dev.courier.sandbox.DemoTarget;
import dev.courier.sandbox.SandboxStartupException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code courier demo-target}: the demo target API alone, until interrupted. The compose stack runs it as its own
 * service, bound to every address of its container, so Courier has something to call. Needs no broker, so the slim
 * jar of the container image has it too.
 */
@Command(name = "demo-target", mixinStandardHelpOptions = true,
        description = {
            "Run the demo target API until interrupted: /ok (200), /flaky (503 twice, then 200), /missing (404),"
                    + " /rate-limited (429 with Retry-After: 1, then 200), /slow?delayMs=N and /status/NNN.",
            "For demonstrations and tests only, never as a real service."})
final class DemoTargetCommand implements Callable<Integer> {

    private final Io io;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port to listen on; 0 for a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on: 0.0.0.0 in a container, so other containers reach it."
                    + " Default: ${DEFAULT-VALUE}.")
    String bind;

    DemoTargetCommand(Io io) {
        this.io = io;
    }

    /** Serves until SIGTERM or Ctrl-C (or until the calling thread is interrupted), then stops the server. */
    @Override
    public Integer call() {
        DemoTarget target;
        try {
            target = DemoTarget.start(bind, port);
        } catch (SandboxStartupException | IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        Thread hook = new Thread(() -> {
            stopped.countDown();
            target.close();
        }, "courier-demo-target-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        io.out().println("Demo target API: " + target.url() + " (running until interrupted)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            target.close();
            removeHook(hook);
        }
        return ExitCodes.OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }
}
