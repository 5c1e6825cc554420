package dev.rawzone.runner;

import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ingest invoke} end to end, in process, with the stub handlers run in child JVMs. */
class MainInvokeTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final Supplier<Emulator> NO_EMULATOR = () -> {
        throw new AssertionError("this run must not start an emulator");
    };

    @TempDir
    Path dir;
    TestProject project;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void project() throws IOException {
        project = TestProject.create(dir);
    }

    private int run(Map<String, String> env, Supplier<Emulator> emulators, String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, emulators, RunnerLocation.current());
        return main.run(args);
    }

    private int invoke(Map<String, String> env, Supplier<Emulator> emulators, String function, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("invoke", function, "--template", project.template.toString()));
        args.addAll(List.of(more));
        return run(env, emulators, args.toArray(String[]::new));
    }

    private Map<String, String> existingEmulator() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH")));
        env.put("AWS_ENDPOINT_URL", EMULATOR.emulator().endpoint().toString());
        return env;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String event() {
        return project.root.resolve("events/s3-put.json").toString();
    }

    private List<String> lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    @Test
    void awsEndpointUrlMakesTheRunnerUseThatEmulatorAndLeaveItsResourcesThere() {
        int code = invoke(existingEmulator(), NO_EMULATOR, "EchoFunction", "--event", event());

        assertEquals(0, code, err());
        assertEquals(List.of("}", "{\"in\":2,\"written\":2,\"quarantined\":0,\"duplicates\":0,\"failed\":0}"),
                lastLines(out(), 2), "the response, then one compact counts line");
        assertTrue(out().startsWith("{\n  \"in\" : 2,"), out());
        assertTrue(out().contains("\"AWS_ENDPOINT_URL\" : \"" + EMULATOR.emulator().endpoint() + "\""), out());
        assertTrue(err().contains("from AWS_ENDPOINT_URL"), err());
        try (S3Client s3 = s3(EMULATOR.emulator().endpoint())) {
            assertEquals("{\"order_id\":\"o-1\"}\n", s3.getObjectAsBytes(g -> g.bucket("rawzone-local-landing-123456789012")
                    .key(TestProject.SAMPLE_KEY)).asUtf8String(), "events/objects/ uploaded under the same key");
            assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("rawzone-local-raw-dev")));
        }
    }

    @Test
    void withoutAwsEndpointUrlItStartsItsOwnEmulatorAndStopsIt() {
        AtomicReference<Emulator> started = new AtomicReference<>();
        int code = invoke(Map.of("PATH", System.getenv("PATH")), () -> {
            Emulator emulator = Emulator.start();
            started.set(emulator);
            return emulator;
        }, "S3EventFunction", "--event", event());

        assertEquals(0, code, err());
        assertNotNull(started.get());
        assertEquals("{\"in\":2,\"written\":1,\"quarantined\":1,\"duplicates\":0,\"failed\":0}", lastLines(out(), 1).get(0),
                "counts from the typed handler's nested counts object");
        assertThrows(ConnectException.class, () -> {
            HttpURLConnection connection = (HttpURLConnection) started.get().endpoint().resolve("/moto-api/").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.getResponseCode();
        }, "the emulator it started is stopped at the end");
    }

    @Test
    void dryRunPrintsThePlanOfTheFunctionDeployedOnAnEmulatorOfItsOwnAndTouchesNothingOfTheUsers() {
        AtomicReference<Emulator> started = new AtomicReference<>();
        int code = invoke(existingEmulator(), () -> {
            Emulator emulator = Emulator.start();
            started.set(emulator);
            return emulator;
        }, "EchoFunction", "--event", event(), "--dry-run");

        assertEquals(0, code, err());
        assertEquals("""
                {"action":"ingest","key":"orders/2026/11/25/sample+one%2B%C3%A9.jsonl"}
                {"action":"ingest","key":"orders/other.jsonl"}
                """, out());
        assertNotNull(started.get(), "the function was deployed on an emulator of the dry run's own");
        try (S3Client s3 = s3(EMULATOR.emulator().endpoint())) {
            assertEquals(List.of(), s3.listBuckets().buckets(), "the emulator AWS_ENDPOINT_URL names is left alone");
        }
    }

    @Test
    void aMalformedEventExitsTwoWithOneErrorLineAndNoStackTrace() throws IOException {
        Path event = project.writeEvent("scheduled.json", "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}");

        int code = invoke(existingEmulator(), NO_EMULATOR, "EchoFunction", "--event", event.toString());

        assertEquals(2, code, err());
        assertEquals(List.of("error: event has no Records array"), errorLines());
        assertEquals("", out());
    }

    @Test
    void anyOtherHandlerExceptionExitsOneWithItsClassAndMessage() throws IOException {
        Path event = project.writeEvent("boom.json", "{\"boom\":true}");

        int code = invoke(existingEmulator(), NO_EMULATOR, "EchoFunction", "--event", event.toString());

        assertEquals(1, code, err());
        assertEquals(List.of("error: java.lang.IllegalStateException: boom requested with a second line"), errorLines());
    }

    @Test
    void unknownFunctionExitsTwoAndListsTheKnownOnes() {
        int code = invoke(Map.of(), NO_EMULATOR, "NoSuchFunction", "--event", event());

        assertEquals(2, code);
        assertEquals(List.of("error: no function NoSuchFunction in the template; known functions: EchoFunction, "
                + "S3EventFunction, S3IngestFunction"), err().lines().toList());
    }

    @Test
    void missingOrUnreadableEventFileExitsTwo() {
        int code = invoke(Map.of(), NO_EMULATOR, "EchoFunction", "--event", dir.resolve("nope.json").toString());

        assertEquals(2, code);
        assertEquals(List.of("error: event file " + dir.resolve("nope.json") + " does not exist"), err().lines().toList());

        err.reset();
        assertEquals(2, invoke(Map.of(), NO_EMULATOR, "EchoFunction", "--event", dir.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("error: cannot read event file "), err());
    }

    @Test
    void invalidJsonInTheEventFileExitsTwo() throws IOException {
        Path broken = project.writeEvent("broken.json", "{\"Records\": [\n  {\"s3\": }\n]}");
        Path trailing = project.writeEvent("trailing.json", "{} {}");
        Path empty = project.writeEvent("empty.json", "  \n");

        for (Path event : List.of(broken, trailing, empty)) {
            err.reset();
            assertEquals(2, invoke(Map.of(), NO_EMULATOR, "EchoFunction", "--event", event.toString()), event.toString());
            List<String> lines = err().lines().toList();
            assertEquals(1, lines.size(), err());
            assertTrue(lines.get(0).startsWith("error: event file " + event + " is "), lines.get(0));
        }
        assertTrue(err().contains("is empty"));
    }

    @Test
    void badUsageExitsTwoAndPrintsTheUsage() {
        List<String[]> usages = List.of(
                new String[] {},
                new String[] {"launch"},
                new String[] {"invoke", "EchoFunction"},
                new String[] {"invoke", "--event", "e.json"},
                new String[] {"invoke", "EchoFunction", "--event", "e.json", "--verbose"},
                new String[] {"invoke", "EchoFunction", "--event"});
        for (String[] args : usages) {
            err.reset();
            assertEquals(2, run(Map.of(), NO_EMULATOR, args), String.join(" ", args));
            List<String> lines = err().lines().toList();
            assertTrue(lines.get(0).startsWith("error: "), err());
            assertTrue(err().contains("usage: ingest <command> [options]"), err());
            assertEquals(1, lines.stream().filter(l -> l.startsWith("error:")).count());
        }
        err.reset();
        assertEquals(0, run(Map.of(), NO_EMULATOR, "--help"));
        assertTrue(out().startsWith("usage: ingest"));
    }

    private List<String> errorLines() {
        List<String> lines = err().lines().filter(l -> l.startsWith("error:") || l.startsWith("\tat ")
                || l.startsWith("Exception") || l.startsWith("Caused by")).toList();
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("\tat ")), err());
        return lines;
    }

    static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
