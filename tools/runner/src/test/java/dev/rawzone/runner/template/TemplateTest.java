package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.runner.TestProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {
    @TempDir
    Path dir;
    TestProject project;
    Template template;

    @BeforeEach
    void load() throws IOException {
        project = TestProject.create(dir);
        template = Template.load(project.template);
    }

    @Test
    void shortFormTagsBecomeIntrinsicFunctionsAndDatesStayStrings() {
        JsonNode document = template.document();
        assertEquals("2010-09-09", document.path("AWSTemplateFormatVersion").asText());
        JsonNode env = document.at("/Resources/EchoFunction/Properties/Environment/Variables");
        assertEquals("LandingBucket", env.at("/LANDING_BUCKET/Ref").asText());
        assertEquals("[\"RawBucket\",\"Arn\"]", env.at("/RAW_BUCKET_ARN/Fn::GetAtt").toString());
        assertEquals("[\"DeadLetterQueue\",\"Arn\"]", env.at("/DLQ_ARN/Fn::GetAtt").toString());
        assertTrue(env.at("/MODE/Fn::If").isArray());
        assertEquals("IsProd", document.at("/Conditions/IsDev/Fn::Not/0/Condition").asText());
        assertTrue(document.at("/Resources/RawBucket/Properties/BucketName/Fn::Sub").isArray());
    }

    @Test
    void functionEnvironmentIsGlobalsMergedWithTheFunctionAndFullyResolved() {
        FunctionSpec echo = template.function("EchoFunction", template.intrinsics(URI.create("http://127.0.0.1:5555")));
        Map<String, String> env = echo.environment();
        assertEquals("from-function", env.get("STAGE"), "the function's value wins over Globals");
        assertEquals("rawzone", env.get("POWERTOOLS_SERVICE_NAME"), "Globals-only variables are kept");
        assertEquals("DEBUG", env.get("LOG_LEVEL"), "Fn::FindInMap keyed by a parameter default");
        assertEquals("rawzone-local-landing-123456789012", env.get("LANDING_BUCKET"), "Ref bucket -> its BucketName (Sub)");
        assertEquals("arn:aws:s3:::rawzone-local-raw-dev", env.get("RAW_BUCKET_ARN"), "GetAtt Arn over Sub with a variable map");
        assertEquals("rawzone-local-ledger", env.get("LEDGER_TABLE"));
        assertEquals("arn:aws:kinesis:us-east-1:123456789012:stream/rawzone-local-orders", env.get("STREAM_ARN"), "Join");
        assertEquals("http://127.0.0.1:5555/123456789012/rawzone-local-dlq", env.get("DLQ_URL"), "Ref queue -> URL");
        assertEquals("arn:aws:sqs:us-east-1:123456789012:rawzone-local-dlq", env.get("DLQ_ARN"));
        assertEquals("b", env.get("SECOND_ZONE"), "Select over a CommaDelimitedList default");
        assertEquals("lenient", env.get("MODE"), "If with a condition from parameter defaults");
        assertFalse(env.containsKey("OPTIONAL"), "AWS::NoValue drops the variable");
        assertEquals("${Literal}-us-east-1", env.get("ESCAPED"));
        assertEquals("arn:aws:s3:::rawzone-local-raw-dev/raw/*", env.get("RAW_OBJECTS"));

        assertEquals(20, echo.timeoutSeconds(), "the function's Timeout wins");
        assertEquals(512, echo.memoryMb(), "MemorySize from Globals");
        assertEquals("java17", echo.runtime());
        assertEquals("dev.rawzone.runner.stub.EchoStreamHandler::handleRequest", echo.handler());
        assertEquals(project.stubJar, echo.codeUri(), "CodeUri is relative to the template");
        assertEquals("EchoFunction", echo.functionName());
        assertEquals(256, template.function("S3EventFunction", template.intrinsics(null)).memoryMb());
    }

    @Test
    void parameterOverridesFlowThroughConditionsAndNames() {
        Template prod = Template.load(project.template, Map.of("Stage", "prod"));
        Intrinsics intrinsics = prod.intrinsics(null);
        Map<String, String> env = prod.function("EchoFunction", intrinsics).environment();
        assertEquals("strict", env.get("MODE"));
        assertEquals("set", env.get("OPTIONAL"));
        assertEquals("INFO", env.get("LOG_LEVEL"));
        assertEquals("arn:aws:s3:::rawzone-local-raw-prod", env.get("RAW_BUCKET_ARN"));
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/rawzone-local-dlq", env.get("DLQ_URL"),
                "without an emulator a queue URL has the AWS form");
        assertTrue(intrinsics.exists("ProdOnlyQueue"));
        assertFalse(template.intrinsics(null).exists("ProdOnlyQueue"));
        assertTrue(template.intrinsics(null).condition("DevInEast"));
    }

    @Test
    void defaultNamesAndGetAttForms() {
        ResourceNames names = template.intrinsics(null).names();
        assertEquals("rawzone-local-scratchbucket", names.name("ScratchBucket"), "a valid bucket name when none is given");
        assertEquals("/aws/lambda/EchoFunction", names.name("IngestLogGroup"), "Sub of a function Ref");
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction", names.getAtt("EchoFunction", "Arn"));
        assertEquals("arn:aws:iam::123456789012:role/rawzone-local-EchoFunctionRole", names.getAtt("EchoFunctionRole", "Arn"),
                "SAM's implicit function role");
        assertEquals("rawzone-local-dlq", names.getAtt("DeadLetterQueue", "QueueName"));
        assertEquals("arn:aws:dynamodb:us-east-1:123456789012:table/rawzone-local-ledger/stream/1970-01-01T00:00:00.000",
                names.getAtt("LedgerTable", "StreamArn"));
    }

    @Test
    void unknownFunctionListsTheKnownOnes() {
        UnknownFunctionException e = assertThrows(UnknownFunctionException.class,
                () -> template.function("NoSuchFunction", template.intrinsics(null)));
        assertEquals("no function NoSuchFunction in the template; known functions: EchoFunction, S3EventFunction, "
                + "S3IngestFunction", e.getMessage());
        assertThrows(UnknownFunctionException.class, () -> template.function("LandingBucket", template.intrinsics(null)));
    }

    @Test
    void unresolvableReferencesAndBadYamlSayWhatIsWrong() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      CodeUri: f.jar
                      Environment:
                        Variables:
                          X: !Ref Nowhere
                """);
        Template template = Template.load(bad);
        TemplateException e = assertThrows(TemplateException.class, () -> template.function("F", template.intrinsics(null)));
        assertEquals("the template has no resource or parameter Nowhere", e.getMessage());

        Files.writeString(bad, "Resources:\n  A: 1\n  A: 2\n");
        assertThrows(TemplateException.class, () -> Template.load(bad));
    }
}
