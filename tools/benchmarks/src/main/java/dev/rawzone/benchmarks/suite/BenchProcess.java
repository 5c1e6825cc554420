package dev.rawzone.benchmarks.suite;

import dev.rawzone.benchmarks.ResultLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One run of a benchmark in a JVM of its own: the heap, the JVM flags its function has in template.yaml, its
 * arguments. Its whole output goes to a log file; the console gets it without the functions' JSON log lines; the
 * result lines are collected.
 */
record BenchProcess(Path root, Path jar, Path logs) {

    /** The command line, for the process and for the table's heading. */
    List<String> command(BenchCase bench, String jvmFlags, boolean quick) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + bench.heap()));
        if (!jvmFlags.isBlank()) {
            command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        }
        command.addAll(List.of("-Daws.cborEnabled=false", "-cp", jar.toString(), bench.mainClass()));
        command.addAll(bench.arguments(quick));
        return command;
    }

    List<ResultLine> run(BenchCase bench, List<String> command, int run) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve(bench.id() + "-run" + run + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("CBOR_ENABLED", "false");
        Process process = builder.start();
        List<ResultLine> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer file = Files.newBufferedWriter(log)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.write('\n');
                Optional<ResultLine> result = ResultLine.parse(line);
                result.ifPresent(results::add);
                if (result.isEmpty() && !line.startsWith("{")) {
                    System.out.println("    " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(bench.simpleName() + " exited " + exit + " (its output: " + log + ")");
        }
        if (results.isEmpty()) {
            throw new IllegalStateException(bench.simpleName() + " printed no result line (its output: " + log + ")");
        }
        return results;
    }
}
