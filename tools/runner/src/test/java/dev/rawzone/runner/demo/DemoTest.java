package dev.rawzone.runner.demo;

import dev.rawzone.runner.Main;
import dev.rawzone.runner.TestProject;
import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.deploy.DeployedStack;
import dev.rawzone.runner.deploy.TestStacks;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final Supplier<Emulator> NO_EMULATOR = () -> {
        throw new AssertionError("the demo must use AWS_ENDPOINT_URL here");
    };

    @TempDir
    Path dir;

    @Test
    void s3KeysAreEncodedAsS3EncodesThemInEvents() {
        assertEquals("in/my+file%2B1+%C3%A9.json", S3Events.encodeKey("in/my file+1 é.json"));
        assertEquals("dt%3D2026-11-25/a.b-c_d*.json", S3Events.encodeKey("dt=2026-11-25/a.b-c_d*.json"));
        String first = S3Events.nextSequencer();
        String second = S3Events.nextSequencer();
        assertEquals(18, first.length());
        assertTrue(second.compareTo(first) > 0, "sequencers grow");
    }

    @Test
    void demoRunsTheS3IngestFunctionOnEachSampleObjectAndSummarizes() throws IOException {
        TestProject project = TestProject.create(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PATH", System.getenv("PATH"), "AWS_ENDPOINT_URL", EMULATOR.emulator().endpoint().toString()),
                NO_EMULATOR, RunnerLocation.current());

        int code = main.run("demo", "--template", project.template.toString());

        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8)
                + Files.readString(project.root.resolve(".local/demo/functions.log")));
        // the stub handler found every object by the decoded key, version id, ETag and size of the event
        assertTrue(text.contains("S3IngestFunction <- orders/2026/11/25/late+night%2Brush+%C3%A9.jsonl: ok"), text);
        List<String> rows = text.lines().filter(l -> l.startsWith("  s3 ")).toList();
        assertEquals(5, rows.size(), text);
        assertTrue(rows.get(0).matches("\\s+s3\\s+orders/2026/11/25/orders-0001\\.jsonl\\s+1\\s+1\\s+0\\s+0\\s+0\\s+written"), rows.get(0));
        assertTrue(rows.get(2).matches(".*orders-0002\\.jsonl\\.gz\\s+1\\s+0\\s+1\\s+0\\s+0\\s+quarantined"), rows.get(2));
        assertTrue(rows.get(4).matches(".*orders-0001\\.jsonl \\(delivered again\\)\\s+1\\s+0\\s+0\\s+1\\s+0\\s+duplicate"), rows.get(4));
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+total\\s+5\\s+3\\s+1\\s+1\\s+0")), text);

        assertTrue(text.contains("s3://rawzone-local-raw-dev/raw/  (3 keys)"), text);
        assertTrue(text.contains("\n  raw/orders/2026/11/25/late night+rush é.jsonl\n"), text);
        assertTrue(text.contains("s3://rawzone-local-raw-dev/quarantine/  (1 key)"), text);
        assertTrue(text.contains("s3://rawzone-local-raw-dev/manifests/  (5 keys)"), text);
        assertTrue(Files.isRegularFile(project.root.resolve(".local/demo/functions.log")), "function logs kept apart");
    }

    @Test
    void onTheRepositoryTemplateTheDemoEndsWithARedriveAReleaseAndAVerify() {
        RepositoryDemo.requireBuiltJars();

        String text = RepositoryDemo.run(EMULATOR.emulator().endpoint());

        DeployedStack names = TestStacks.deployed(EMULATOR.emulator().endpoint());
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            String queue = aws.sqs().getQueueUrl(q -> q.queueName(names.name(ReplayStep.DEAD_LETTER_QUEUE))).queueUrl();
            assertEquals("0", aws.sqs().getQueueAttributes(a -> a.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"),
                    "the re-driven message is deleted");
            String raw = names.name(DemoCommand.RAW_BUCKET);
            List<String> keys = aws.s3().listObjectsV2Paginator(l -> l.bucket(raw)).contents().stream()
                    .map(o -> o.key()).filter(k -> k.startsWith("raw/s3/") || k.startsWith("quarantine/s3/")).toList();
            assertEquals(1, keys.stream().filter(k -> k.startsWith("raw/s3/orders/schema=v1/")
                    && k.contains("/orders-0003-failed-first-")).count(), "the dead-lettered object landed once: " + keys);
            List<String> released = keys.stream().filter(k -> k.startsWith("raw/s3/orders/schema=v2/")).toList();
            assertEquals(1, released.size(), "one released part: " + keys);
            assertTrue(released.get(0).contains("/released/"), released.get(0));
            String part = released.get(0).substring(released.get(0).lastIndexOf('/') + 1);
            assertTrue(keys.stream().anyMatch(k -> k.startsWith("quarantine/s3/orders/")
                    && k.endsWith("/" + part + ".released-v2.json")), "the release marker beside the part: " + keys);
        }
        List<String> rows = text.lines().filter(l -> l.startsWith("  replay ")).toList();
        assertEquals(3, rows.size(), text);
        assertTrue(rows.get(0).matches(".*orders-0003-failed-first\\.jsonl\\s+1\\s+1\\s+0\\s+0\\s+0\\s+redrive .* exit 0"), rows.get(0));
        // the demo's unreadable object is a whole-object copy: a unit of its own, one quarantined unit, not released
        assertTrue(rows.get(1).matches(".*->\\s*schema=v2\\s+4\\s+1\\s+3\\s+0\\s+0\\s+release \\{\"OK\":1,\"DONE\":1} exit 0"),
                rows.get(1));
        assertTrue(rows.get(2).matches(".*verify \\{\"OK\":\\d+} exit 0"), rows.get(2));
    }
}
