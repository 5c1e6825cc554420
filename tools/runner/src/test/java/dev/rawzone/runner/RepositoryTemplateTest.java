package dev.rawzone.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.template.FunctionSpec;
import dev.rawzone.runner.template.Intrinsics;
import dev.rawzone.runner.template.Template;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's own template.yaml and, when it has been built (the root build packages it before this module's
 * tests), the real S3IngestFunction under {@code ingest demo}: what the README's first command does.
 */
class RepositoryTemplateTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Supplier<Emulator> NO_EMULATOR = () -> {
        throw new AssertionError("must use AWS_ENDPOINT_URL");
    };
    private static final Pattern ROW = Pattern.compile(
            "^\\s+s3\\s+(.+?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)$");

    @Test
    void theRepositoryTemplateResolvesForEveryFunction() {
        assumeTrue(Files.isRegularFile(ROOT.resolve("template.yaml")), "no template.yaml at the repository root yet");
        Template template = Template.load(ROOT.resolve("template.yaml"));
        assertFalse(template.functionIds().isEmpty());
        for (String id : template.functionIds()) {
            FunctionSpec function = template.function(id, template.intrinsics(null));
            assertTrue(function.handler().contains("."), id);
            assertTrue(function.codeUri().startsWith(ROOT), id + ": " + function.codeUri());
        }
    }

    @Test
    void s3IngestFunctionIsToldItsContinuationQueue() {
        assumeTrue(Files.isRegularFile(ROOT.resolve("template.yaml")), "no template.yaml at the repository root yet");
        Template template = Template.load(ROOT.resolve("template.yaml"));
        Intrinsics intrinsics = template.intrinsics(null);

        Map<String, String> env = template.function("S3IngestFunction", intrinsics).environment();

        assertEquals(intrinsics.ref("S3ContinuationQueue").asText(), env.get("CONTINUATION_QUEUE_URL"));
        assertTrue(Long.parseLong(env.get("CONTINUE_MARGIN_MILLIS")) > 0, env.toString());
        template.properties("S3IngestFunction").path("Events").forEach(event -> assertNotEquals("SQS",
                event.path("Type").asText(), "a SAM SQS event grants the role every queue of the account"));
        JsonNode mapping = template.properties("S3ContinuationEventSourceMapping");
        assertEquals(intrinsics.names().arn("S3IngestFunction") + ":live",
                intrinsics.resolve(mapping.get("FunctionName")).asText());
        assertEquals(intrinsics.names().getAtt("S3ContinuationQueue", "Arn"),
                intrinsics.resolve(mapping.get("EventSourceArn")).asText());
    }

    @Test
    void everyFunctionIsSnapStartedBehindAnAliasAndTheStreamMappingInvokesTheAlias() {
        assumeTrue(Files.isRegularFile(ROOT.resolve("template.yaml")), "no template.yaml at the repository root yet");
        Template template = Template.load(ROOT.resolve("template.yaml"));
        Intrinsics intrinsics = template.intrinsics(null);
        for (String id : template.functionIds()) {
            JsonNode properties = template.properties(id);
            assertEquals("PublishedVersions", properties.at("/SnapStart/ApplyOn").asText(), id);
            assertFalse(properties.path("AutoPublishAlias").asText().isBlank(), id + " publishes an alias");
        }
        String mapped = intrinsics.resolve(template.properties("StreamIngestEventSourceMapping").get("FunctionName")).asText();
        assertEquals(intrinsics.names().arn("StreamIngestFunction") + ":live", mapped);
    }

    @Test
    void schemaLocationReachesEveryFunctionAndAnS3PrefixGrantsReadingThatPrefixOnly() {
        assumeTrue(Files.isRegularFile(ROOT.resolve("template.yaml")), "no template.yaml at the repository root yet");
        Template bundled = Template.load(ROOT.resolve("template.yaml"));
        Template inS3 = Template.load(ROOT.resolve("template.yaml"), Map.of("SchemaLocation", "s3://team-config/schemas/raw"));

        for (String id : bundled.functionIds()) {
            assertEquals("classpath:schemas", bundled.function(id, bundled.intrinsics(null)).environment()
                    .get("SCHEMA_LOCATION"), id);
            assertEquals("s3://team-config/schemas/raw", inS3.function(id, inS3.intrinsics(null)).environment()
                    .get("SCHEMA_LOCATION"), id);
        }
        assertFalse(bundled.intrinsics(null).exists("SchemaReadPolicy"), "no schema permission for the classpath");
        Intrinsics intrinsics = inS3.intrinsics(null);
        assertTrue(intrinsics.exists("SchemaReadPolicy"));
        JsonNode statements = intrinsics.resolve(inS3.properties("SchemaReadPolicy").path("PolicyDocument").path("Statement"));
        assertEquals("arn:aws:s3:::team-config/schemas/raw/*", statements.get(0).get("Resource").asText());
        assertEquals("arn:aws:s3:::team-config", statements.get(1).get("Resource").asText());
        assertEquals("schemas/*", statements.get(1).at("/Condition/StringLike/s3:prefix").asText());
    }

    @Test
    void demoRunsTheRealS3IngestFunctionAndEveryRowAddsUp() throws Exception {
        Path template = ROOT.resolve("template.yaml");
        assumeTrue(Files.isRegularFile(template), "no template.yaml at the repository root yet");
        FunctionSpec function = Template.load(template).function("S3IngestFunction", Template.load(template).intrinsics(null));
        assumeTrue(Files.isRegularFile(function.codeUri()), function.codeUri() + " is not built (mvn package at the root)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PATH", System.getenv("PATH"), "AWS_ENDPOINT_URL", EMULATOR.emulator().endpoint().toString()),
                NO_EMULATOR, RunnerLocation.current());

        int code = main.run("demo", "--template", template.toString());

        String text = out.toString(StandardCharsets.UTF_8);
        String log = Files.readString(ROOT.resolve(".local/demo/functions.log"));
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8) + log);
        List<Matcher> rows = text.lines().map(ROW::matcher).filter(Matcher::matches).toList();
        assertEquals(5, rows.size(), text);
        for (Matcher row : rows) {
            long in = Long.parseLong(row.group(2));
            long accounted = 0;
            for (int i = 3; i <= 6; i++) {
                accounted += Long.parseLong(row.group(i));
            }
            assertEquals(in, accounted, "every record accounted for: " + row.group());
        }
        Matcher again = rows.get(4);
        assertTrue(again.group(1).endsWith("(delivered again)"), again.group());
        assertEquals("0", again.group(3), "a second delivery writes nothing: " + again.group());
        assertEquals(again.group(2), again.group(5), "a second delivery counts its records as duplicates");
        assertTrue(Long.parseLong(rows.get(0).group(4)) > 0, "the bad rows are quarantined: " + rows.get(0).group());
        assertTrue(text.contains("/raw/  ("), text);
        assertTrue(text.contains("/quarantine/  ("), text);
        assertTrue(text.contains("/manifests/  ("), text);
    }
}
