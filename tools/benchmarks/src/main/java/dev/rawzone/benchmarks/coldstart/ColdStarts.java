package dev.rawzone.benchmarks.coldstart;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a function JVM the way the local runner does and times it to its first response. */
final class ColdStarts {
    /**
     * What the runner's FunctionInvoker gives a function JVM that sets no {@code JAVA_TOOL_OPTIONS}, as the Lambda
     * Java runtime does; a function that sets them gets its own flags only (on the command line these would win
     * over them, and a function asking for C2 would be measured under C1).
     */
    static final List<String> LAMBDA_JVM_DEFAULTS = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1");
    static final String CBOR_OFF = "-Daws.cborEnabled=false";

    private final Path harnessJar;
    private final Map<String, String> aws;

    ColdStarts(Path harnessJar, Map<String, String> aws) {
        this.harnessJar = harnessJar;
        this.aws = aws;
    }

    /** Milliseconds from starting the JVM to the first byte of the handler's response. */
    long timeToFirstResponse(ColdStartCase c) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = start(c, List.of(), ProcessBuilder.Redirect.DISCARD);
        long answered;
        try (InputStream response = process.getInputStream()) {
            if (response.read() < 0) {
                throw new IllegalStateException(c.name() + " gave no response (exit " + process.waitFor() + ")");
            }
            answered = System.nanoTime();
            response.transferTo(OutputStream.nullOutputStream());
        }
        expectSuccess(c, process);
        return TimeUnit.NANOSECONDS.toMillis(answered - started);
    }

    /** How many classes the JVM loads to build the handler and handle the event. */
    int classesLoaded(ColdStartCase c) throws IOException, InterruptedException {
        Path log = Files.createTempFile("class-load-" + c.name(), ".log");
        Process process = start(c, List.of("-Xlog:class+load=info:file=" + log), ProcessBuilder.Redirect.DISCARD);
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        expectSuccess(c, process);
        try (var lines = Files.lines(log)) {
            return (int) lines.filter(line -> line.contains("source:")).count();
        } finally {
            Files.delete(log);
        }
    }

    private Process start(ColdStartCase c, List<String> extraFlags, ProcessBuilder.Redirect stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> classpath = new ArrayList<>();
        c.code().forEach(p -> classpath.add(p.toString()));
        classpath.add(harnessJar.toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + c.memoryMb() * 85 / 100 + "m"));
        if (c.javaToolOptions().isBlank()) {
            command.addAll(LAMBDA_JVM_DEFAULTS);
        }
        command.add(CBOR_OFF);
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), "dev.rawzone.runner.harness.Invoke"));
        c.code().forEach(p -> command.addAll(List.of("--code", p.toString())));
        command.add(c.handler());
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(c.event().toFile()).redirectError(stderr);
        builder.environment().putAll(aws);
        builder.environment().putAll(c.variables());
        builder.environment().put("JAVA_TOOL_OPTIONS", c.javaToolOptions());
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", c.name());
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(c.memoryMb()));
        builder.environment().put("AWS_LAMBDA_FUNCTION_TIMEOUT", "300");
        return builder.start();
    }

    private static void expectSuccess(ColdStartCase c, Process process) throws InterruptedException {
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(c.name() + " exited " + exit + " (run it with ./ingest invoke to see why)");
        }
    }
}
