package dev.rawzone.testkit.snapshot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds a handler as Lambda's init phase does before SnapStart takes its snapshot: from the function's variables
 * plus what Lambda sets for a SnapStart function (region, name, memory; credentials only through the container
 * endpoint, never as keys), against AWS itself (no endpoint override), so the SDK's default chains are the ones wired.
 */
public final class LambdaInit {
    /** Big enough for a handler's SDK clients and Jackson mappers, small enough to stop a runaway walk. */
    private static final int WALK_LIMIT = 500_000;

    private LambdaInit() {}

    public static <T> T build(Map<String, String> functionVariables, Function<Map<String, String>, T> constructor) {
        Map<String, String> env = new LinkedHashMap<>(functionVariables);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "snapshot-test");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/credentials"); // nothing listens there
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-a-token");
        // the SDK's region chain reads the process, not this map: tell it through its system property
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", env.get("AWS_REGION"));
        try {
            return constructor.apply(Map.copyOf(env));
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }
    }

    public static void assertSnapshotSafe(Object handler) {
        SnapshotSafety.Report report = new SnapshotSafety(WALK_LIMIT).walk(handler);
        assertTrue(report.safe(), handler.getClass().getSimpleName() + " after init: " + report);
    }
}
