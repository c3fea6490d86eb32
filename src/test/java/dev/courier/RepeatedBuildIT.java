package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's commands in its order, {@code mvn package} and then {@code mvn verify} without {@code clean}, package
 * a second time over the first build's output. This test makes that second packaging happen: it copies the project
 * and what this build left in {@code target/} (timestamps kept, so Maven sees nothing to compile and the shaded jar
 * newer than the classes) to a directory of its own and runs {@code mvn package} there. The jar must come out the
 * same, entry by entry, and the shade step must report no overlapping files.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RepeatedBuildIT {

    private static final Path TARGET = Path.of("target");
    private static final Path COPY = TARGET.resolve("repeated-build");

    @Test
    void packagingAgainWithoutCleanGivesTheSameJarAndNoOverlapWarnings() throws Exception {
        Path jar = TARGET.resolve("courier.jar");
        assertThat(jar).as("run after the package phase").exists();
        deleteRecursively(COPY);
        for (String path : List.of("pom.xml", "schemas", "src/main")) {
            copyKeepingTimes(Path.of(path), COPY.resolve(path));
        }
        for (String path : List.of("classes", "generated-sources", "courier.jar", "original-courier.jar")) {
            copyKeepingTimes(TARGET.resolve(path), COPY.resolve("target").resolve(path));
        }
        // as right after the first build: its jar is the newest file of the project
        Files.setLastModifiedTime(COPY.resolve("target/courier.jar"), FileTime.from(Instant.now()));

        Path log = COPY.resolve("build.log");
        Process maven = new ProcessBuilder(mavenCommand()).directory(COPY.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = maven.waitFor(4, TimeUnit.MINUTES);
        if (!exited) {
            maven.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(exited).as("mvn package finished within 4 minutes").isTrue();
        assertThat(maven.exitValue()).as(output).isZero();
        assertThat(output).as("the second packaging's output").doesNotContain("overlapping");
        assertThat(entries(COPY.resolve("target/courier.jar"))).isEqualTo(entries(jar));
    }

    /** {@code mvn package} of the copy, offline (this build has resolved every plugin), without compiling. */
    private static List<String> mavenCommand() {
        String home = System.getProperty("maven.home");
        assertThat(home).as("the system property maven.home, set by the failsafe configuration").isNotBlank();
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> command = new ArrayList<>(List.of(Path.of(home, "bin", windows ? "mvn.cmd" : "mvn").toString(),
                "-B", "-o", "-Dmaven.test.skip=true", "-Dmaven.main.skip=true"));
        String repository = System.getProperty("repeated-build.local-repository");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.add("package");
        return command;
    }

    /** Each entry's name with its size and CRC-32. */
    private static Map<String, String> entries(Path jar) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                entries.put(entry.getName(), entry.getSize() + " bytes, crc " + Long.toHexString(entry.getCrc()));
            }
        }
        return entries;
    }

    private static void copyKeepingTimes(Path source, Path destination) throws IOException {
        if (!Files.exists(source)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path to = destination.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
