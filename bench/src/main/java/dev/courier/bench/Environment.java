package dev.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine and the versions a run was measured with, for the results file.
 *
 * @param cores      processors the JVM sees
 * @param cpuModel   from /proc/cpuinfo
 * @param memoryGib  total memory, from /proc/meminfo
 * @param os         kernel name and version
 * @param java       the JVM's vendor and version (the same JVM runs every process)
 * @param versions   library versions, from bench/pom.xml's properties, and Courier's from its jar
 * @param loadBefore /proc/loadavg when the harness started
 */
record Environment(int cores, String cpuModel, double memoryGib, String os, String java, Map<String, String> versions,
        String loadBefore) {

    static Environment capture(Path benchPom, Path courierJar) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("courier", courierVersion(courierJar));
        try {
            String pom = Files.readString(benchPom, StandardCharsets.UTF_8);
            for (String name : new String[] {"parallel-consumer", "kafka", "okhttp", "avro", "jackson", "jmh"}) {
                Matcher m = Pattern.compile("<" + Pattern.quote(name) + "\\.version>([^<]+)<").matcher(pom);
                if (m.find()) {
                    versions.put(name.equals("kafka") ? "kafka-clients and broker" : name, m.group(1));
                }
            }
        } catch (IOException e) {
            versions.put("error", "cannot read " + benchPom + ": " + e);
        }
        versions.put("commit", System.getProperty("bench.commit", "unknown"));
        return new Environment(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryGib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"), versions,
                loadAverage());
    }

    /** /proc/loadavg's first three figures. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double readMemoryGib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0) / 1024.0 / 1024.0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String courierVersion(Path courierJar) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(courierJar.toFile())) {
            String version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return version == null ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
