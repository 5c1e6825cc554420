package dev.rawzone.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A moto_server process on a free loopback port. One process serves S3, DynamoDB, Kinesis, SQS, SSM,
 * Secrets Manager and the rest, so tests and the local runner share the same emulator.
 */
public final class Emulator implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private final Process process;
    private final int port;
    private final Path log;

    private Emulator(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Emulator start() {
        String executable = findMotoServer();
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Emulator emulator = new Emulator(process, port, log);
            emulator.awaitReady(Duration.ofSeconds(30));
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start moto_server", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The variables that point an AWS SDK (or a function's environment) at this emulator. */
    public Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** Drops every resource, so each test starts from an empty account without a new process. */
    public void reset() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + connection.getResponseCode());
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException("could not reset moto_server", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temp directory is harmless
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited at start; its log: " + readLog());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(200);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() < 500) {
                    connection.disconnect();
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            sleep(100);
        }
        String output = readLog();
        close();
        throw new IllegalStateException("moto_server did not answer within " + timeout + "; its log: " + output);
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String findMotoServer() {
        String override = System.getenv("MOTO_SERVER");
        if (override != null && !override.isBlank()) {
            return override;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "moto_server");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        File pyenvShim = new File(System.getProperty("user.home"), ".pyenv/shims/moto_server");
        if (pyenvShim.canExecute()) {
            return pyenvShim.getAbsolutePath();
        }
        throw new IllegalStateException(
                "moto_server was not found on PATH (install Python moto with its server extra, or set MOTO_SERVER)");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto_server", e);
        }
    }
}
