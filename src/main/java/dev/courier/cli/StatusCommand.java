package dev.courier.cli;

import dev.courier.config.Secret;
import dev.courier.config.Settings;
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

    @Option(names = "--admin", paramLabel = "URL",
            description = "The admin server of any instance of the group, such as http://10.0.0.5:8080 (http:// when"
                    + " no scheme is given). Default: this machine at courier.admin.port from the settings"
                    + " (http://127.0.0.1:8080 with the defaults).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The admin token, when the instance requires one. Default: courier.admin.token from the"
                    + " settings (which can read it from the environment or a file, out of the process list).")
    String token;

    StatusCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = admin == null || token == null ? config.load(io) : null;
        AdminAddress address = admin != null ? AdminAddress.given(admin) : AdminAddress.of(settings.ops());
        Secret secret = token != null ? new Secret(token) : settings.ops().adminToken();
        StatusClient.Answer answer = new StatusClient(address.url(), address.described(), secret).get(id);
        switch (answer.status()) {
            case 200 -> {
                io.out().println(answer.body());
                return ExitCodes.OK;
            }
            case 404 -> {
                io.out().println(answer.body());
                return ExitCodes.FAILED;
            }
            default -> throw new CommandFailedException("the admin server at " + address.described() + " answered "
                    + answer.status() + ": " + answer.body());
        }
    }
}
