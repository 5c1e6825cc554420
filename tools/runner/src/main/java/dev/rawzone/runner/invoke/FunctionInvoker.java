package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rawzone.testkit.Emulator;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs a function once in a child JVM, the way the Lambda Java runtime would: class path = the function's code, then
 * the runner (for the harness); environment = only the function's deployed variables plus what Lambda itself sets
 * (nothing of the caller's environment leaks in, so no real AWS credentials either); heap from MemorySize; the event
 * on stdin; the response from stdout. The child's stderr (the function's logs and the harness's one-line error) is
 * copied to a sink as it comes.
 */
public final class FunctionInvoker {
    /** What a dry run points the SDK at when there is no emulator: nothing listens there, so nothing reaches AWS. */
    public static final String NOWHERE = "http://127.0.0.1:9";
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    /**
     * The flags the Lambda Java runtime starts a JVM with when the function sets no {@value #JAVA_TOOL_OPTIONS}. A
     * function that sets it gets its own flags only (it reaches the child through its environment, and flags on the
     * command line would win over it).
     */
    static final List<String> LAMBDA_JVM_DEFAULTS = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1");
    private static final List<String> KEPT_FROM_CALLER = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER");

    private final List<Path> harnessClasspath;
    private final Map<String, String> callerEnvironment;

    public FunctionInvoker(List<Path> harnessClasspath, Map<String, String> callerEnvironment) {
        this.harnessClasspath = List.copyOf(harnessClasspath);
        this.callerEnvironment = Map.copyOf(callerEnvironment);
    }

    /**
     * @param endpoint the emulator, or null for a dry run
     * @param log      where the child's stderr goes
     */
    public Invocation invoke(FunctionSpec function, byte[] event, URI endpoint, boolean dryRun, PrintStream log) {
        List<String> command = command(function, dryRun);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory(function).toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(function, endpoint));
        Instant start = Instant.now();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + function.logicalId(), e);
        }
        AtomicReference<String> error = new AtomicReference<>();
        AtomicReference<JsonNode> loggedCounts = new AtomicReference<>();
        Thread stderr = pump(process.getErrorStream(), log, error, loggedCounts);
        Thread stdin = feed(process.getOutputStream(), event);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Thread response = collect(process.getInputStream(), stdout);
        try {
            long limit = function.timeoutSeconds() + 120L; // the harness enforces the timeout; this is a backstop
            if (!process.waitFor(limit, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                String message = "the function JVM did not end within " + limit + " s";
                log.println("error: " + message);
                return new Invocation(1, stdout.toByteArray(), message, Duration.between(start, Instant.now()),
                        loggedCounts.get());
            }
            response.join(10_000);
            stderr.join(5_000);
            stdin.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + function.logicalId() + " ran", e);
        }
        return new Invocation(process.exitValue(), stdout.toByteArray(), error.get(),
                Duration.between(start, Instant.now()), loggedCounts.get());
    }

    List<String> command(FunctionSpec function, boolean dryRun) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> classpath = new ArrayList<>();
        classpath.add(function.codeUri().toString());
        harnessClasspath.forEach(p -> classpath.add(p.toString()));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMb(function.memoryMb()) + "m"));
        if (!function.environment().containsKey(JAVA_TOOL_OPTIONS)) {
            command.addAll(LAMBDA_JVM_DEFAULTS);
        }
        command.addAll(List.of("-Daws.cborEnabled=false",
                "-cp", String.join(File.pathSeparator, classpath),
                "dev.rawzone.runner.harness.Invoke", "--code", function.codeUri().toString()));
        if (dryRun) {
            command.add("--dry-run");
        }
        command.add(function.handler());
        return command;
    }

    /** The Lambda Java runtime gives the heap about 85% of the function's memory. */
    static int heapMb(int memoryMb) {
        return Math.max(64, memoryMb * 85 / 100);
    }

    Map<String, String> environment(FunctionSpec function, URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : KEPT_FROM_CALLER) {
            String value = callerEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(function.environment());
        // what Lambda sets itself; a function cannot override these
        env.put("AWS_ENDPOINT_URL", endpoint == null ? NOWHERE : endpoint.toString());
        env.put("AWS_REGION", Emulator.REGION);
        env.put("AWS_DEFAULT_REGION", Emulator.REGION);
        env.put("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(function.timeoutSeconds()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now() + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        env.put("_HANDLER", function.handler());
        env.put("CBOR_ENABLED", "false");
        return env;
    }

    private static Path workingDirectory(FunctionSpec function) {
        Path code = function.codeUri().toAbsolutePath();
        Path parent = code.toFile().isDirectory() ? code : code.getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    private static Thread pump(InputStream stderr, PrintStream log, AtomicReference<String> error,
                               AtomicReference<JsonNode> loggedCounts) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("error: ")) {
                        error.set(line.substring("error: ".length()));
                    }
                    Counts.loggedIn(line).ifPresent(loggedCounts::set);
                    log.println(line);
                }
                log.flush();
            } catch (IOException ignored) {
                // the child went away
            }
        }, "function-stderr");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Thread collect(InputStream stdout, ByteArrayOutputStream into) {
        Thread thread = new Thread(() -> {
            try (stdout) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = stdout.read(buffer)) >= 0) {
                    synchronized (into) {
                        into.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the child went away
            }
        }, "function-stdout");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Thread feed(OutputStream stdin, byte[] event) {
        Thread thread = new Thread(() -> {
            try (stdin) {
                stdin.write(event);
            } catch (IOException ignored) {
                // the child ended before reading its event; its exit code says why
            }
        }, "function-stdin");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** For messages: the command a user could run by hand. */
    public String describe(FunctionSpec function, boolean dryRun) {
        return command(function, dryRun).stream().map(a -> a.contains(" ") ? "'" + a + "'" : a)
                .collect(Collectors.joining(" "));
    }
}
