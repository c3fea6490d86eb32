package dev.courier.cli;

import dev.courier.config.Secret;
import dev.courier.config.Settings;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code courier status ID}: what became of a request, asked of a running instance's status view. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Print what became of the request event with id ID, as the status view of a running courier run knows"
                    + " it: GET /requests/ID on its admin server, printed as the JSON it answers.",
            "Exits 0 when the id is known (pending, retrying, succeeded or failed), 1 when it is not (the 404 answer is"
                    + " printed too) or when the instance cannot answer."})
final class StatusCommand implements Callable<Integer> {

    private final Io io;

    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "ID", description = "The request event's id.")
    String id;

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The admin server of any instance of the group. Default: ${DEFAULT-VALUE}.")
    URI admin;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The admin token, when the instance requires one. Default: courier.admin.token from the"
                    + " settings (which can read it from the environment or a file, out of the process list).")
    String token;

    StatusCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (admin.getScheme() == null || !admin.getScheme().matches("https?") || admin.getHost() == null) {
            throw new CommandFailedException("--admin must be an http(s) URL such as http://127.0.0.1:8080, not "
                    + admin);
        }
        Secret secret = token != null ? new Secret(token) : settingsToken();
        StatusClient.Answer answer = new StatusClient(admin, secret).get(id);
        switch (answer.status()) {
            case 200 -> {
                io.out().println(answer.body());
                return ExitCodes.OK;
            }
            case 404 -> {
                io.out().println(answer.body());
                return ExitCodes.FAILED;
            }
            default -> throw new CommandFailedException("the admin server at " + admin + " answered "
                    + answer.status() + ": " + answer.body());
        }
    }

    private Secret settingsToken() {
        Settings settings = config.load(io);
        return settings.ops().adminToken();
    }
}
