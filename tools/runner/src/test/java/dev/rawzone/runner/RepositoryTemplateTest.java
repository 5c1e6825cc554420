package dev.rawzone.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.invoke.RunnerLocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.demo.RepositoryDemo;
import dev.rawzone.runner.deploy.Artifacts;
import dev.rawzone.runner.deploy.TestStacks;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's own template.yaml as the SAM translator makes it and, when it has been built (the root build packages it before this module's
 * tests), the real S3IngestFunction under {@code ingest demo}: what the README's first command does.
 */
class RepositoryTemplateTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Supplier<Emulator> NO_EMULATOR = () -> {
        throw new AssertionError("must use AWS_ENDPOINT_URL");
    };
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile(
            "^\\s+s3\\s+(.+?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)$");

    /** template.yaml as the SAM translator turns it into CloudFormation (what the deploy creates the stack from). */
    private static JsonNode translated(Map<String, String> parameterOverrides) {
        assumeTrue(Files.isRegularFile(ROOT.resolve("template.yaml")), "no template.yaml at the repository root yet");
        return TestStacks.translated(ROOT.resolve("template.yaml"), parameterOverrides, EMULATOR.emulator().endpoint())
                .path("Resources");
    }

    private static List<String> functions(JsonNode resources) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                ids.add(r.getKey());
            }
        });
        return ids;
    }

    private static JsonNode ref(String logicalId) {
        return JSON.createObjectNode().put("Ref", logicalId);
    }

    @Test
    void everyFunctionHasAHandlerAndItsUploadedJar() {
        JsonNode resources = translated(Map.of());
        assertFalse(functions(resources).isEmpty());
        for (String id : functions(resources)) {
            JsonNode properties = resources.path(id).path("Properties");
            assertTrue(properties.path("Handler").asText().contains("::"), id);
            assertEquals(Artifacts.BUCKET, properties.at("/Code/S3Bucket").asText(), id);
            assertTrue(properties.at("/Code/S3Key").asText().endsWith(".jar"), id);
        }
    }

    @Test
    void s3IngestFunctionIsToldItsContinuationQueue() {
        JsonNode resources = translated(Map.of());
        JsonNode env = resources.at("/S3IngestFunction/Properties/Environment/Variables");

        assertEquals(ref("S3ContinuationQueue"), env.get("CONTINUATION_QUEUE_URL"));
        assertTrue(env.path("CONTINUE_MARGIN_MILLIS").asLong() > 0, env.toString());
        assertFalse(resources.at("/S3IngestFunctionRole/Properties/ManagedPolicyArns").toString().contains("SQSQueueExecution"),
                "a SAM SQS event grants the role every queue of the account");
        JsonNode mapping = resources.at("/S3ContinuationEventSourceMapping/Properties");
        assertEquals(ref("S3IngestFunctionAliaslive"), mapping.get("FunctionName"));
        assertEquals("[\"S3ContinuationQueue\",\"Arn\"]", mapping.path("EventSourceArn").path("Fn::GetAtt").toString());
    }

    @Test
    void everyFunctionIsSnapStartedBehindAnAliasAndTheStreamMappingInvokesTheAlias() {
        JsonNode resources = translated(Map.of());
        for (String id : functions(resources)) {
            assertEquals("PublishedVersions", resources.at("/" + id + "/Properties/SnapStart/ApplyOn").asText(), id);
            JsonNode alias = resources.path(id + "Aliaslive");
            assertEquals("AWS::Lambda::Alias", alias.path("Type").asText(), id + " publishes an alias");
            assertEquals(ref(id), alias.at("/Properties/FunctionName"));
        }
        assertEquals(ref("StreamIngestFunctionAliaslive"),
                resources.at("/StreamIngestEventSourceMapping/Properties/FunctionName"));
    }

    @Test
    void schemaLocationReachesEveryFunctionAndOnlyAnS3PrefixGrantsReadingIt() {
        JsonNode resources = translated(Map.of());
        for (String id : functions(resources)) {
            assertEquals(ref("SchemaLocation"), resources.at("/" + id + "/Properties/Environment/Variables/SCHEMA_LOCATION"), id);
            assertTrue(resources.at("/" + id + "Role/Properties/ManagedPolicyArns").toString()
                    .contains("{\"Fn::If\":[\"SchemasInS3\",{\"Ref\":\"SchemaReadPolicy\"}"), id);
        }
        assertEquals("SchemasInS3", resources.at("/SchemaReadPolicy/Condition").asText(),
                "no schema permission for the classpath");
    }

    @Test
    void demoRunsTheRealS3IngestFunctionAndEveryRowAddsUp() throws Exception {
        Path template = ROOT.resolve("template.yaml");
        assumeTrue(Files.isRegularFile(template), "no template.yaml at the repository root yet");
        RepositoryDemo.requireBuiltJars();
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
