package dev.rawzone.runner;

import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.demo.RepositoryDemo;
import dev.rawzone.runner.deploy.TestStacks;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A first-time user's own API, as the pull README's "Your own API in five minutes" does it: a sources file and a
 * schema for a dataset no jar bundles, {@code ingest pull check}, then {@code ingest invoke --sources --schemas},
 * against a loopback API and the emulator, with the repository's own template and pull function.
 */
class OwnPullApiTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final Path ROOT = RepositoryTemplateTest.ROOT;
    private static final String TOKEN = "own-api-token-4711";
    private static final Instant START = Instant.parse("2026-11-20T09:00:00Z");
    private static final Supplier<Emulator> NO_EMULATOR = () -> {
        throw new AssertionError("must use AWS_ENDPOINT_URL or none");
    };

    @TempDir
    Path dir;
    SampleApi api;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void api() {
        api = SampleApi.start(TOKEN);
        api.seed(8, START, Duration.ofMinutes(1));
        api.corrupt(3, "email", 42);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void pullCheckShowsOnePageWithPositionsRejectsAndTheCheckpointAndWritesNothing() throws IOException {
        Path sources = sources("peoplecheck", "peoplecheck", "\"page_size\": 5");
        Path schemas = schemas("peoplecheck");
        deployTheTemplate();

        int code = run(environment(), NO_EMULATOR, "pull", "check", sources.toString(), "--schemas", schemas.toString());

        String text = out();
        assertEquals(0, code, text + err());
        assertTrue(text.contains("GET " + api.endpoint() + "?limit=5"), "the request, from the API's beginning: " + text);
        assertTrue(text.contains("write      cursor=\"2026-11-20T09:00:00Z\" id=1 position="), text);
        assertTrue(text.contains("quarantine cursor=\"2026-11-20T09:02:00Z\" id=3 position="), text);
        assertTrue(text.contains("$.email"), "why it would be quarantined: " + text);
        assertTrue(text.contains("counts {\"in\":5,\"written\":4,\"quarantined\":1,\"duplicates\":0}"), text);
        assertTrue(text.matches("(?s).*\n    raw/pull/peoplecheck/schema=v1/dt=2026-11-20/peoplecheck-(\\S+)\\.jsonl\\.gz: "
                + "4 record\\(s\\), positions \\1 to \\S+\n.*"), "the part a run would write: " + text);
        assertTrue(text.contains("\n    quarantine/pull/peoplecheck/dt=2026-11-20/peoplecheck-"), text);
        assertTrue(text.contains("checkpoint after this page {\"version\":1,\"cursor\":\"2026-11-20T09:04:00Z\","
                + "\"next_page\":1,\"lower_bound\":\"2026-11-20T08:59:00Z\",\"seen\":5"), "lookback PT5M: " + text);
        assertEquals(1, api.requestCount(), "one page only");
        assertFalse(text.contains(TOKEN) || err().contains(TOKEN), "the token is never shown");
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            String raw = resourceName("RawBucket");
            assertEquals(List.of(), aws.s3().listObjectsV2(l -> l.bucket(raw)).contents(), "nothing staged or written");
            Map<String, AttributeValue> checkpoint = aws.dynamoDb().getItem(g -> g.tableName(resourceName("CheckpointTable"))
                    .key(Map.of("pk", AttributeValue.fromS("pull#peoplecheck")))).item();
            assertTrue(checkpoint == null || checkpoint.isEmpty(), "no checkpoint: " + checkpoint);
        }
    }

    @Test
    void invokeWithSourcesAndSchemasPullsTheUsersApiWithADatasetOnlyTheDirectoryHas() throws IOException {
        Path function = ROOT.resolve("functions/pull-ingest/target/pull-ingest.jar");
        assumeTrue(Files.isRegularFile(function), function + " is not built (mvn package at the root)");
        Path sources = sources("people", "people", "\"page_size\": 3");
        Path schemas = schemas("people");

        int code = run(environment(), NO_EMULATOR, "invoke", "PullIngestFunction", "--template",
                ROOT.resolve("template.yaml").toString(), "--event", ROOT.resolve("events/scheduled-all.json").toString(),
                "--sources", sources.toString(), "--schemas", schemas.toString());

        assertEquals(0, code, out() + err());
        List<String> lines = out().lines().toList();
        assertEquals("{\"in\":8,\"written\":7,\"quarantined\":1,\"duplicates\":0,\"failed\":0}", lines.get(lines.size() - 1),
                out());
        assertFalse(out().contains(TOKEN) || err().contains(TOKEN), "the token is never shown");
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            List<String> keys = new ArrayList<>();
            aws.s3().listObjectsV2Paginator(l -> l.bucket(resourceName("RawBucket")))
                    .contents().forEach(object -> keys.add(object.key()));
            assertTrue(keys.stream().anyMatch(key -> key.startsWith("raw/pull/people/schema=v1/dt=2026-11-20/people-")),
                    keys.toString());
            assertTrue(keys.stream().anyMatch(key -> key.startsWith("quarantine/pull/people/dt=2026-11-20/")),
                    keys.toString());
            assertTrue(keys.contains("config/schemas/people/v1.json"), keys.toString());
        }
    }

    @Test
    void aBadSourcesFileIsRefusedWithTheFieldPathBeforeAnythingStarts() throws IOException {
        Path sources = Files.writeString(dir.resolve("bad.json"), Files.readString(sources("people", "people", "\"page_size\": 3"))
                .replace("\"kind\": \"timestamp\"", "\"kind\": \"timestmp\""));
        Path schemas = schemas("people");

        int check = run(environment(), NO_EMULATOR, "pull", "check", sources.toString(), "--schemas", schemas.toString());
        int invoke = run(environment(), NO_EMULATOR, "invoke", "PullIngestFunction", "--template",
                ROOT.resolve("template.yaml").toString(), "--event", ROOT.resolve("events/scheduled-all.json").toString(),
                "--sources", sources.toString(), "--schemas", schemas.toString());

        assertEquals(2, check, err());
        assertEquals(2, invoke, err());
        String expected = "error: sources file " + sources + ": sources[0].cursor.kind: expected one of timestamp, id, "
                + "page_token, got timestmp";
        assertEquals(2, err().lines().filter(expected::equals).count(), err());
        assertEquals(0, api.requestCount());
    }

    @Test
    void aPageThatEchoesTheTokenFailsTheCheckAsItFailsARunAndTheTokenIsNeverShown() throws IOException {
        api.respondAt(1, 200, Map.of("Content-Type", "application/json"), """
                {"records": [{"id": 1, "email": "%s", "updated_at": "2026-11-20T09:00:00Z"}, {"id": "%s"}],
                 "next_page_token": null}""".formatted(TOKEN, TOKEN));

        int code = run(environment(), NO_EMULATOR, "pull", "check", sources("people", "people", "\"page_size\": 3").toString(),
                "--schemas", schemas("people").toString());

        assertEquals(1, code, out() + err());
        assertTrue(out().contains("FAILED: a run would stop here: the API echoed the credential in page 0"), out());
        assertFalse(out().contains(TOKEN) || err().contains(TOKEN), out() + err());
    }

    @Test
    void aSecretWithoutItsVariableNamesTheVariableToSet() throws IOException {
        Path sources = sources("people", "people", "\"page_size\": 3");

        int code = run(Map.of("PATH", System.getenv("PATH")), NO_EMULATOR, "pull", "check", sources.toString(),
                "--schemas", schemas("people").toString());

        assertEquals(2, code, err());
        assertTrue(err().contains("set the environment variable PULL_SECRET_MY_API_TOKEN"), err());
    }

    private Path sources(String name, String dataset, String extra) throws IOException {
        return Files.writeString(dir.resolve(name + "-sources.json"), """
                {"sources": [{
                  "name": "%s", "dataset": "%s", "endpoint": "%s",
                  "auth": {"type": "bearer", "secret": "secretsmanager:my-api/token"},
                  "cursor": {"kind": "timestamp", "field": "updated_at", "param": "updated_since", "lookback": "PT5M"},
                  "pagination": {"style": "next_token", "param": "page_token", "token_field": "next_page_token",
                                 "has_more_field": "has_more"},
                  %s
                }]}
                """.formatted(name, dataset, api.endpoint(), extra));
    }

    private Path schemas(String dataset) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("schemas").resolve(dataset));
        Files.writeString(folder.resolve("v1.json"), """
                {"type": "object", "required": ["id", "email", "updated_at"],
                 "properties": {"id": {"type": "integer"}, "email": {"type": "string"},
                                "updated_at": {"type": "string", "format": "date-time"}}}
                """);
        return folder.getParent();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH")));
        env.put("AWS_ENDPOINT_URL", EMULATOR.emulator().endpoint().toString());
        env.put("PULL_SECRET_MY_API_TOKEN", TOKEN);
        return env;
    }

    private void deployTheTemplate() {
        RepositoryDemo.requireBuiltJars();
        TestStacks.deploy(EMULATOR.emulator().endpoint(), ROOT.resolve("template.yaml"), Map.of());
    }

    private String resourceName(String logicalId) {
        return TestStacks.deployed(EMULATOR.emulator().endpoint()).name(logicalId);
    }

    private int run(Map<String, String> env, Supplier<Emulator> emulators, String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, emulators, RunnerLocation.current());
        return main.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
