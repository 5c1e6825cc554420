package dev.rawzone.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.TestProject;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.TestStacks;
import dev.rawzone.testkit.Emulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness in a child JVM, driven through {@link FunctionInvoker} with the stub handlers. No emulator needed. */
class HarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI FAKE_ENDPOINT = URI.create("http://127.0.0.1:4566");

    @TempDir
    static Path dir;
    static TestProject project;
    /** The test template's functions as deployed on an emulator (stopped once they are read). */
    static Map<String, FunctionSpec> functions = new java.util.HashMap<>();
    static String dlqUrl;
    static FunctionInvoker invoker;

    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void project() throws IOException {
        project = TestProject.create(dir);
        try (Emulator emulator = Emulator.start()) {
            DeployedStack stack = TestStacks.deploy(emulator.endpoint(), project.template, Map.of());
            stack.functionIds().forEach(id -> functions.put(id, stack.function(id)));
            dlqUrl = stack.physicalId("DeadLetterQueue");
        }
        invoker = new FunctionInvoker(RunnerLocation.current().harnessClasspath(),
                Map.of("PATH", System.getenv("PATH"), "RUNNER_TEST_SECRET", "must-not-leak"));
    }

    private Invocation invoke(String functionId, String event, URI endpoint, boolean dryRun) {
        return invoke(functions.get(functionId), event, endpoint, dryRun);
    }

    private Invocation invoke(FunctionSpec function, String event, URI endpoint, boolean dryRun) {
        return invoker.invoke(function, event.getBytes(StandardCharsets.UTF_8), endpoint, dryRun,
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static String event() throws IOException {
        return Files.readString(project.root.resolve("events/s3-put.json"));
    }

    @Test
    void streamHandlerGetsTheFunctionsEnvironmentAndOnlyItsResponseIsOnStdout() throws IOException {
        Invocation invocation = invoke("EchoFunction", event(), FAKE_ENDPOINT, false);

        assertEquals(0, invocation.exitCode(), log());
        JsonNode response = JSON.readTree(invocation.response()); // fails if a log line leaked into stdout
        assertEquals(2, response.path("in").asInt());
        JsonNode env = response.path("env");
        assertEquals("from-function", env.path("STAGE").asText());
        assertEquals("rawzone-local-landing-123456789012", env.path("LANDING_BUCKET").asText());
        assertEquals(dlqUrl, env.path("DLQ_URL").asText(), "what CloudFormation's Ref gave");
        assertTrue(dlqUrl.endsWith("/123456789012/rawzone-local-dlq"), dlqUrl);
        assertEquals("http://127.0.0.1:4566", env.path("AWS_ENDPOINT_URL").asText());
        assertEquals("us-east-1", env.path("AWS_REGION").asText());
        assertEquals("us-east-1", env.path("AWS_DEFAULT_REGION").asText());
        assertEquals("testing", env.path("AWS_ACCESS_KEY_ID").asText());
        String deployedName = functions.get("EchoFunction").functionName();
        assertTrue(deployedName.startsWith("rawzone-local-EchoFunction-"), "the name CloudFormation gave: " + deployedName);
        assertEquals(deployedName, env.path("AWS_LAMBDA_FUNCTION_NAME").asText());
        assertEquals("512", env.path("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText());
        assertEquals("false", env.path("CBOR_ENABLED").asText());
        assertTrue(env.path("RUNNER_TEST_SECRET").isNull(), "the caller's environment does not leak into the function");
        assertEquals(deployedName, response.path("functionName").asText());
        assertEquals(512, response.path("memoryLimitInMB").asInt());
        int remaining = response.path("remainingTimeInMillis").asInt();
        assertTrue(remaining > 10_000 && remaining <= 20_000, "counts down from Timeout 20 s: " + remaining);
        assertTrue(response.path("maxHeapMb").asInt() <= 512, "heap bounded by MemorySize");
        assertFalse(response.path("runnerLibraryVisible").asBoolean(),
                "the function sees its own code and the Lambda runtime API, not the runner's libraries");
        assertTrue(log().contains("stub: a line on System.out is a log line"), log());
        assertTrue(log().contains("stub: a line through the context's logger"), log());
        assertEquals("{\"in\":2,\"written\":2,\"quarantined\":0,\"duplicates\":0,\"failed\":0}",
                Counts.of(response).toString());
    }

    @Test
    void typedHandlerGetsAnS3EventAndItsMapIsSerialized() throws IOException {
        Invocation invocation = invoke("S3EventFunction", event(), FAKE_ENDPOINT, false);

        assertEquals(0, invocation.exitCode(), log());
        JsonNode response = JSON.readTree(invocation.response());
        assertEquals("[\"orders/2026/11/25/sample one+é.jsonl\",\"orders/other.jsonl\"]", response.path("keys").toString());
        assertEquals("v1", response.path("versions").path(0).asText());
        assertEquals("dev", response.path("stage").asText(), "Globals variable when the function has none");
        assertEquals("{\"in\":2,\"written\":1,\"quarantined\":1,\"duplicates\":0,\"failed\":0}",
                Counts.of(response).toString(), "counts from the nested counts object");
    }

    @Test
    void malformedEventExitsTwoWithOneLine() {
        Invocation invocation = invoke("EchoFunction", "{\"detail-type\":\"Scheduled Event\"}", FAKE_ENDPOINT, false);

        assertEquals(2, invocation.exitCode(), log());
        assertEquals("event has no Records array", invocation.error());
        assertEquals(List.of("error: event has no Records array"), errorAndTraceLines(log()));
        assertEquals(0, invocation.response().length);
    }

    @Test
    void eventThatDoesNotFitTheTypedInputExitsTwo() {
        Invocation invocation = invoke("S3EventFunction", "[1, 2, 3]", FAKE_ENDPOINT, false);

        assertEquals(2, invocation.exitCode(), log());
        assertTrue(invocation.error().startsWith("the event does not deserialize to com.amazonaws.services.lambda.runtime.events.S3Event"),
                invocation.error());
        assertEquals(1, errorAndTraceLines(log()).size(), log());
    }

    @Test
    void otherHandlerExceptionsExitOneWithClassAndMessage() {
        Invocation invocation = invoke("EchoFunction", "{\"boom\":true}", FAKE_ENDPOINT, false);

        assertEquals(1, invocation.exitCode(), log());
        assertEquals(List.of("error: java.lang.IllegalStateException: boom requested with a second line"),
                errorAndTraceLines(log()));
    }

    @Test
    void theDeployedJavaToolOptionsSetTheJvmFlagsAndLambdasDefaultsApplyOnlyWithoutThem() throws IOException {
        FunctionSpec echo = functions.get("EchoFunction");
        assertEquals("-XX:TieredStopAtLevel=4", echo.environment().get("JAVA_TOOL_OPTIONS"), "as deployed");
        Map<String, String> without = new java.util.HashMap<>(echo.environment());
        without.remove("JAVA_TOOL_OPTIONS");
        FunctionSpec plain = new FunctionSpec(echo.logicalId(), echo.functionName(), echo.handler(), echo.codeUri(),
                echo.runtime(), echo.timeoutSeconds(), echo.memoryMb(), without);

        JsonNode own = JSON.readTree(invoke(echo, event(), FAKE_ENDPOINT, false).response());
        JsonNode defaults = JSON.readTree(invoke(plain, event(), FAKE_ENDPOINT, false).response());

        assertEquals("4", own.path("tieredStopAtLevel").asText(), "the function's flags win: " + log());
        assertEquals("1", defaults.path("tieredStopAtLevel").asText(), "the Lambda runtime's C1-only default");
    }

    @Test
    void theFunctionsTimeoutEndsTheInvocation() {
        FunctionSpec echo = functions.get("EchoFunction");
        FunctionSpec quick = new FunctionSpec(echo.logicalId(), echo.functionName(), echo.handler(), echo.codeUri(),
                echo.runtime(), 1, echo.memoryMb(), echo.environment());

        Invocation invocation = invoke(quick, "{\"Records\":[],\"sleepMillis\":20000}", FAKE_ENDPOINT, false);

        assertEquals(1, invocation.exitCode(), log());
        assertEquals("Task timed out after 1.00 seconds", invocation.error());
        assertTrue(invocation.elapsed().toSeconds() < 15, invocation.elapsed().toString());
    }

    @Test
    void dryRunPrintsThePlanOneJsonLinePerEntry() throws IOException {
        Invocation invocation = invoke("EchoFunction", event(), null, true);

        assertEquals(0, invocation.exitCode(), log());
        assertEquals("""
                {"action":"ingest","key":"orders/2026/11/25/sample+one%2B%C3%A9.jsonl"}
                {"action":"ingest","key":"orders/other.jsonl"}
                """, invocation.responseText());
    }

    @Test
    void dryRunOfAHandlerThatCannotPlanExitsTwo() throws IOException {
        Invocation invocation = invoke("S3EventFunction", event(), null, true);

        assertEquals(2, invocation.exitCode(), log());
        assertEquals("dev.rawzone.runner.stub.S3EventMapHandler does not implement dev.rawzone.core.event.EventPlanner, "
                + "so it cannot plan a dry run", invocation.error());
    }

    @Test
    void unknownHandlerClassIsOneLine() throws IOException {
        FunctionSpec echo = functions.get("EchoFunction");
        FunctionSpec missing = new FunctionSpec("Missing", "Missing", "dev.rawzone.Nope::handleRequest", echo.codeUri(),
                echo.runtime(), 3, 128, Map.of());

        Invocation invocation = invoke(missing, event(), FAKE_ENDPOINT, false);

        assertEquals(1, invocation.exitCode());
        assertEquals("handler class dev.rawzone.Nope is not in the function's code", invocation.error());
        assertNull(errorAndTraceLines(log()).stream().filter(l -> l.startsWith("\tat")).findFirst().orElse(null));
    }

    @Test
    void theHarnessUsesOnlyTheJdkAndTheTwoLambdaLibraries() throws IOException {
        Path harness = Path.of(RunnerLocation.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve("dev/rawzone/runner/harness");
        List<Path> classes;
        try (Stream<Path> files = Files.list(harness)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertFalse(classes.isEmpty());
        for (Path cls : classes) {
            String constants = new String(Files.readAllBytes(cls), StandardCharsets.ISO_8859_1);
            for (String forbidden : List.of("com/fasterxml/", "org/yaml/", "software/amazon/", "dev/rawzone/core/",
                    "dev/rawzone/testkit/", "dev/rawzone/runner/deploy/", "dev/rawzone/runner/invoke/")) {
                assertFalse(constants.contains(forbidden), cls.getFileName() + " refers to " + forbidden);
            }
        }
    }

    /** The lines a user would read as errors: the harness's error lines and any stack trace frames. */
    private static List<String> errorAndTraceLines(String log) {
        return log.lines().filter(l -> l.startsWith("error:") || l.startsWith("\tat ") || l.startsWith("Exception in"))
                .toList();
    }
}
