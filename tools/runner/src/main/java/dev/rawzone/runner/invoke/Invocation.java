package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How one child-JVM invocation ended: its exit code, its stdout (the response), the harness's error line if any,
 * and the {@code counts} object of the last log line that had one (null if none did).
 */
public record Invocation(int exitCode, byte[] response, String error, Duration elapsed, JsonNode loggedCounts) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    public String responseText() {
        return new String(response, StandardCharsets.UTF_8);
    }
}
