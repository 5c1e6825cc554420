package dev.rawzone.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What a generated table is headed by: machine (CPU model, cores, memory), JVM and commit. */
record MachineDescription(String cpu, int cores, double memoryGib, String jvm, String commit) {

    static MachineDescription of(Path root) {
        return new MachineDescription(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemoryGib(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), commit(root));
    }

    String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB; %s; commit `%s`", cpu, cores, memoryGib, jvm, commit);
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
    }

    private static double totalMemoryGib() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0)).orElse(0.0);
    }

    private static java.util.Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * {@code git rev-parse --short HEAD}, with {@code +dirty} when tracked files other than BENCHMARKS.md (which the
     * bench command itself rewrites) have changes.
     */
    private static String commit(Path root) {
        String head = git(root, "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md").isEmpty() ? head : head + "+dirty";
    }

    private static String git(Path root, String... args) {
        try {
            Process process = new ProcessBuilder(concat(args)).directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> concat(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return command;
    }
}
