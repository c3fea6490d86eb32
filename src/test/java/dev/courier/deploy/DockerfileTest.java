package dev.courier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read instruction by instruction (no Docker engine here to build it): a cached dependency layer in
 * the build stage, and a runtime stage that runs Courier as a non-root user, exposes and health-checks the admin port.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final String JAR = "/opt/courier/courier.jar";
    private static final String HEALTH_CHECK = "/opt/courier/healthcheck";

    /** One instruction: its keyword, upper-cased, and the rest of the line, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    private final List<List<Instruction>> stages = stages(read(DOCKERFILE));
    private final Map<String, String> globalArgs = globalArgs(read(DOCKERFILE));

    @Test
    void theBuildStageCachesDependenciesBeforeTheSourcesAndBuildsTheSlimJar() {
        List<Instruction> build = stages.get(0);
        int pom = indexOf(build, "COPY", "pom.xml");
        int offline = indexOf(build, "RUN", "dependency:go-offline");
        int sources = indexOf(build, "COPY", "src/main/");
        int packaging = indexOf(build, "RUN", "package");

        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(image(build)).startsWith("maven:").matches(".*:[^:]*\\d.*");
        assertThat(pom).isLessThan(offline);
        assertThat(offline).as("the dependency layer comes before the sources").isLessThan(sources);
        assertThat(sources).isLessThan(packaging);
        assertThat(build.get(packaging).arguments()).contains("-Pslim");
        assertThat(read(Path.of("pom.xml"))).contains("<id>slim</id>");
    }

    @Test
    void theRuntimeStageRunsAsANumericNonRootUser() {
        List<Instruction> runtime = runtime();
        Instruction user = last(runtime, "USER");

        assertThat(image(runtime)).startsWith("eclipse-temurin:").contains("-jre").matches(".*:\\d.*");
        assertThat(user.arguments()).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.arguments().split(":")[0])).isPositive();
        assertThat(user.arguments().split(":")).allSatisfy(id -> assertThat(Integer.parseInt(id)).isNotZero());
        int userAt = runtime.indexOf(user);
        assertThat(runtime.subList(userAt + 1, runtime.size())).as("nothing after USER runs as root")
                .noneMatch(i -> i.keyword().equals("RUN") || i.keyword().equals("USER"));
    }

    @Test
    void theRuntimeStageExposesAndHealthChecksTheAdminPort() {
        List<Instruction> runtime = runtime();
        String adminPort = SettingsModel.defaultOf("courier.admin.port");
        String healthCheck = last(runtime, "HEALTHCHECK").arguments();

        assertThat(last(runtime, "EXPOSE").arguments().split("\\s+")).contains(adminPort);
        assertThat(healthCheck).contains("--interval=").contains("--timeout=")
                .as("the script, which reads the admin port from the environment (HealthCheckScriptTest)")
                .endsWith("CMD [\"" + HEALTH_CHECK + "\"]");
        assertThat(runtime).as("the script is in the image, executable").anyMatch(i -> i.keyword().equals("COPY")
                && i.arguments().equals("--chmod=0555 " + HealthCheckScriptTest.SCRIPT.toString().replace('\\', '/')
                        + " " + HEALTH_CHECK));
        assertThat(runtime).as("nothing is installed for the health check (no curl)")
                .noneMatch(i -> i.keyword().equals("RUN"));
        assertThat(SettingsModel.defaultOf("courier.admin.bind")).as("the health check asks where Courier listens"
                + " by default, inside the container").isEqualTo("127.0.0.1");
        assertThat(runtime).as("the image leaves the admin bind to whoever publishes the port (compose, the chart)")
                .noneMatch(i -> i.keyword().equals("ENV") && i.arguments().contains("COURIER_COURIER_ADMIN_"));
        assertThat(last(runtime, "STOPSIGNAL").arguments()).isEqualTo("SIGTERM");
    }

    @Test
    void theJarSitsAtAFixedPathAndRunsCourierRunWithContainerAwareMemory() throws IOException {
        List<Instruction> runtime = runtime();
        List<String> entrypoint = jsonArray(last(runtime, "ENTRYPOINT").arguments());

        assertThat(runtime).anyMatch(i -> i.keyword().equals("COPY") && i.arguments().startsWith("--from=build")
                && i.arguments().endsWith(" " + JAR));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).anyMatch(flag -> flag.matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?"))
                .contains("-XX:+ExitOnOutOfMemoryError").containsSubsequence("-jar", JAR);
        assertThat(jsonArray(last(runtime, "CMD").arguments())).containsExactly("run");
    }

    @Test
    void theRuntimeStageWritesOnlyToTmpSoTheRootFilesystemCanBeReadOnly() throws IOException {
        List<Instruction> runtime = runtime();

        assertThat(jsonArray(last(runtime, "VOLUME").arguments())).containsExactly("/tmp");
        assertThat(jsonArray(last(runtime, "ENTRYPOINT").arguments())).contains("-Djava.io.tmpdir=/tmp");
        assertThat(runtime).anyMatch(i -> i.keyword().equals("ENV") && i.arguments().equals("HOME=/tmp"));
    }

    @Test
    void theImageCarriesOciLabels() {
        String labels = String.join(" ", runtime().stream().filter(i -> i.keyword().equals("LABEL"))
                .map(Instruction::arguments).toList());

        for (String label : List.of("title", "description", "version", "revision", "created")) {
            assertThat(labels).contains("org.opencontainers.image." + label + "=");
        }
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheBuildCopies() {
        List<String> patterns = read(DOCKERIGNORE).lines().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(patterns.get(0)).as("everything is left out unless named").isEqualTo("*");
        for (Instruction copy : stages.stream().flatMap(List::stream).toList()) {
            if (copy.keyword().equals("COPY") && !copy.arguments().startsWith("--from=")) {
                List<String> parts = List.of(copy.arguments().split("\\s+"));
                for (String source : parts.subList(0, parts.size() - 1)) {
                    if (!source.startsWith("--")) {
                        assertThat(patterns).as("%s is in the build context", source).anyMatch(pattern ->
                                pattern.equals("!" + source) || (pattern.endsWith("/")
                                        && source.startsWith(pattern.substring(1))));
                    }
                }
            }
        }
    }

    private List<Instruction> runtime() {
        return stages.get(stages.size() - 1);
    }

    /** The stage's base image, with ARG defaults filled in. */
    private String image(List<Instruction> stage) {
        String from = stage.get(0).arguments().split("\\s+")[0];
        Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(from);
        return arg.matches() ? globalArgs.get(arg.group(1)) : from;
    }

    private static int indexOf(List<Instruction> stage, String keyword, String containing) {
        for (int i = 0; i < stage.size(); i++) {
            if (stage.get(i).keyword().equals(keyword) && stage.get(i).arguments().contains(containing)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " with " + containing + " in " + stage);
    }

    private static Instruction last(List<Instruction> stage, String keyword) {
        Instruction found = null;
        for (Instruction instruction : stage) {
            if (instruction.keyword().equals(keyword)) {
                found = instruction;
            }
        }
        if (found == null) {
            throw new AssertionError("the stage has no " + keyword);
        }
        return found;
    }

    private static List<String> jsonArray(String text) throws IOException {
        return List.of(new ObjectMapper().readValue(text, String[].class));
    }

    /** The instructions, split into stages at each FROM; instructions before the first FROM are left out. */
    static List<List<Instruction>> stages(String dockerfile) {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : instructions(dockerfile)) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(instruction);
            }
        }
        return stages;
    }

    private static Map<String, String> globalArgs(String dockerfile) {
        Map<String, String> args = new HashMap<>();
        for (Instruction instruction : instructions(dockerfile)) {
            if (instruction.keyword().equals("FROM")) {
                break;
            }
            if (instruction.keyword().equals("ARG") && instruction.arguments().contains("=")) {
                String[] pair = instruction.arguments().split("=", 2);
                args.put(pair[0], pair[1]);
            }
        }
        return args;
    }

    private static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString().trim().replaceAll("\\s+", " ");
            pending.setLength(0);
            String[] parts = whole.split(" ", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT), parts.length > 1 ? parts[1] : ""));
        }
        return instructions;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
