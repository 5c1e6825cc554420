package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.demo.RepositoryDemo;
import dev.rawzone.runner.glue.CfnYaml;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * template.yaml's ReplayFunction, ReplayVerifyFunction and ReplayStateMachine as the SAM translator makes them
 * (and the state machine as the emulator's CloudFormation creates it): each function gets every variable its wiring reads and the modes it runs, the verify function's role
 * only reads (and writes verify's own records), and the state machine's definition names the functions, the raw
 * bucket and parameters that exist, picks the function by mode, and concludes the run after its map.
 */
class ReplayTemplateTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final Path TEMPLATE = RepositoryDemo.ROOT.resolve("template.yaml");
    // ReplayFunction's contract with the template, as functions/replay states it (the variables ReplayWiring reads, the
    // handler and the exception a FAILED unit throws); this module runs the function's jar, it does not link its classes.
    private static final String HANDLER = "dev.rawzone.functions.replay.ReplayHandler";
    private static final String UNIT_FAILED = "dev.rawzone.functions.replay.UnitFailedException";
    private static final List<String> VERIFY_VARIABLES = List.of("RAW_BUCKET", "SCHEMA_LOCATION", "INGEST_CONFIG",
            "STREAM_CONFIG", "PIPELINE_VERSION", "REPLAY_TIME_RESERVE_MS", "REPLAY_MODES");
    private static final List<String> VARIABLES = List.of("RAW_BUCKET", "SCHEMA_LOCATION", "INGEST_CONFIG",
            "STREAM_CONFIG", "PIPELINE_VERSION", "CHECKPOINT_TABLE", "S3_DEAD_LETTER_QUEUE_URL",
            "STREAM_FAILURE_QUEUE_URL", "PULL_DEAD_LETTER_QUEUE_URL", "PULL_SOURCES", "REPLAY_TIME_RESERVE_MS",
            "REPLAY_MODES");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void bothFunctionsRunThisHandlerAndAreGivenEveryVariableTheirWiringReadsAndTheirModes() {
        JsonNode resources = translated(Map.of());
        JsonNode readWrite = function(resources, "ReplayFunction", VARIABLES);
        JsonNode readOnly = function(resources, "ReplayVerifyFunction", VERIFY_VARIABLES);

        assertEquals("redrive,rebuild", readWrite.at("/Environment/Variables/REPLAY_MODES").asText());
        assertEquals("verify", readOnly.at("/Environment/Variables/REPLAY_MODES").asText());
        assertEquals(readWrite.get("Code"), readOnly.get("Code"), "one jar");
        assertEquals("{\"Ref\":\"StreamIngestFailureQueue\"}",
                readWrite.at("/Environment/Variables/STREAM_FAILURE_QUEUE_URL").toString());
    }

    @Test
    void theVerifyFunctionsRoleReadsAndWritesOnlyVerifysOwnRecords() {
        JsonNode policies = translated(Map.of()).at("/ReplayVerifyFunctionRole/Properties/Policies");
        List<String> writes = new ArrayList<>();
        for (JsonNode statement : policies.findValues("Statement").get(0)) {
            List<String> actions = texts(statement.get("Action"));
            for (String action : actions) {
                assertTrue(action.matches("(s3|kinesis):(Get|List|Describe)[A-Za-z]*|s3:PutObject"), action + " in " + statement);
            }
            if (actions.contains("s3:PutObject")) {
                writes.add(statement.get("Resource").toString());
            }
        }
        assertEquals(List.of("{\"Fn::Sub\":\"${RawBucket.Arn}/manifests/replay/verify/*\"}"), writes,
                "its plans and run manifests only");
    }

    @Test
    void everyVariableOfTheDefinitionIsAParameterOrResourceOfTheTemplate() throws IOException {
        JsonNode template = CfnYaml.parse(Files.readString(TEMPLATE));
        Matcher variables = VARIABLE.matcher(template.at("/Resources/ReplayStateMachine/Properties/DefinitionString/Fn::Sub")
                .asText());
        List<String> named = new ArrayList<>();
        while (variables.find()) {
            String name = variables.group(1);
            named.add(name);
            String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            assertTrue(id.startsWith("AWS::") || template.path("Parameters").has(id) || template.path("Resources").has(id),
                    "${" + name + "} names nothing in the template");
        }
        assertTrue(named.containsAll(List.of("ReplayFunction.Alias", "ReplayVerifyFunction.Alias", "RawBucket",
                "ReplayMaxConcurrency", "ReplayToleratedFailurePercentage")), named.toString());
        String translated = translated(Map.of()).at("/ReplayStateMachine/Properties/DefinitionString/Fn::Sub").asText();
        assertTrue(translated.contains("${ReplayFunctionAliaslive}") && translated.contains("${ReplayVerifyFunctionAliaslive}"),
                "the state machine invokes the published alias SnapStart restores");
    }

    @Test
    void theFunctionByModeThenPlanThenADistributedMapOfOneInvocationPerItemThenConclude() throws IOException {
        RepositoryDemo.requireBuiltJars();
        DeployedStack stack = TestStacks.deploy(EMULATOR.emulator().endpoint(), TEMPLATE, Map.of("ReplayMaxConcurrency", "37",
                "ReplayToleratedFailurePercentage", "5"));
        JsonNode definition;
        try (SfnClient sfn = SfnClient.builder().endpointOverride(EMULATOR.emulator().endpoint())
                .region(Region.of(Emulator.REGION)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY))).build()) {
            definition = MAPPER.readTree(sfn.describeStateMachine(d -> d.stateMachineArn(
                    stack.physicalId("ReplayStateMachine"))).definition());
        }
        // locally the functions themselves: the emulator has no aliases (EmulatorGaps)
        String readWrite = stack.outputs().get("ReplayFunctionArn");
        String readOnly = stack.outputs().get("ReplayVerifyFunctionArn");
        String raw = stack.name("RawBucket");

        JsonNode pick = definition.at("/States").get(definition.at("/States/Defaults/Next").asText());
        assertEquals("Choice", pick.get("Type").asText());
        assertEquals("verify", pick.at("/Choices/0/StringEquals").asText());
        assertEquals(readOnly, definition.at("/States").get(pick.at("/Choices/0/Next").asText()).get("Result").asText());
        assertEquals(readWrite, definition.at("/States").get(pick.get("Default").asText()).get("Result").asText());
        assertEquals("$.function", definition.at("/States/ReadOnly/ResultPath").asText());

        JsonNode plan = definition.at("/States/Plan");
        assertEquals("$.function", plan.at("/Parameters/FunctionName.$").asText());
        assertTrue(plan.at("/Parameters/Payload/plan").asBoolean());
        assertEquals("$$.Execution.Name", plan.at("/Parameters/Payload/run_id.$").asText(), "the run id is the execution's name");
        assertEquals("Replay", plan.get("Next").asText());
        assertRetriesLambdaServiceErrors(plan);

        JsonNode map = definition.at("/States/Replay");
        assertEquals("Map", map.get("Type").asText());
        assertEquals("DISTRIBUTED", map.at("/ItemProcessor/ProcessorConfig/Mode").asText());
        assertEquals("STANDARD", map.at("/ItemProcessor/ProcessorConfig/ExecutionType").asText());
        assertEquals("arn:aws:states:::s3:getObject", map.at("/ItemReader/Resource").asText());
        assertEquals("JSON", map.at("/ItemReader/ReaderConfig/InputType").asText());
        assertEquals(raw, map.at("/ItemReader/Parameters/Bucket").asText());
        assertEquals("$.plan.key", map.at("/ItemReader/Parameters/Key.$").asText(), "the key the Plan state responds");
        assertEquals("$.Payload.key", plan.at("/ResultSelector/key.$").asText());
        assertEquals(raw, map.at("/ResultWriter/Parameters/Bucket").asText());
        assertEquals("manifests/replay/results/", map.at("/ResultWriter/Parameters/Prefix").asText());
        assertEquals(37, map.get("MaxConcurrency").intValue(), "a number, from ReplayMaxConcurrency");
        assertEquals(5, map.get("ToleratedFailurePercentage").intValue());
        assertEquals("$$.Map.Item.Value", map.at("/ItemSelector/item.$").asText());
        assertEquals("$$.Execution.Name", map.at("/ItemSelector/run_id.$").asText());
        assertEquals("$.function", map.at("/ItemSelector/function.$").asText());

        JsonNode unit = map.at("/ItemProcessor/States").get(map.at("/ItemProcessor/StartAt").asText());
        assertEquals("$.function", unit.at("/Parameters/FunctionName.$").asText());
        assertEquals("$.Payload", unit.get("OutputPath").asText());
        assertRetriesLambdaServiceErrors(unit);
        assertTrue(errorsRetried(unit).contains(UNIT_FAILED), "a FAILED unit is retried");

        JsonNode conclude = definition.at("/States").get(map.get("Next").asText());
        assertEquals("$.results", map.get("ResultPath").asText(), "the map's ResultWriterDetails, beside its input");
        assertEquals("$.function", conclude.at("/Parameters/FunctionName.$").asText());
        assertEquals("$.results.ResultWriterDetails", conclude.at("/Parameters/Payload/results.$").asText());
        assertRetriesLambdaServiceErrors(conclude);
        JsonNode concluded = definition.at("/States").get(conclude.get("Next").asText());
        assertEquals("$.exit_code", concluded.at("/Choices/0/Variable").asText());
        assertEquals("Succeed", definition.at("/States").get(concluded.at("/Choices/0/Next").asText()).get("Type").asText());
        JsonNode problems = definition.at("/States").get(concluded.get("Default").asText());
        assertEquals("Fail", problems.get("Type").asText());
        assertEquals("$.totals", problems.get("CausePath").asText(), "the run's totals line, as the function's log has it");
    }

    @Test
    void theStateMachinesRoleMayInvokeTheFunctionAndTheStackOutputsBothArns() throws IOException {
        JsonNode resources = translated(Map.of());
        assertEquals("[\"ReplayStateMachineRole\",\"Arn\"]",
                resources.at("/ReplayStateMachine/Properties/RoleArn/Fn::GetAtt").toString());
        JsonNode invoke = resources.at("/ReplayStateMachineRole/Properties/Policies/0/PolicyDocument/Statement/0");
        assertEquals("lambda:InvokeFunction", invoke.get("Action").asText());
        String granted = invoke.get("Resource").toString();
        assertTrue(granted.contains("[\"ReplayFunction\",\"Arn\"]") && granted.contains("[\"ReplayVerifyFunction\",\"Arn\"]"),
                invoke.toString());
        JsonNode outputs = CfnYaml.parse(Files.readString(TEMPLATE)).path("Outputs");
        assertTrue(outputs.has("ReplayFunctionArn") && outputs.has("ReplayVerifyFunctionArn")
                && outputs.has("ReplayStateMachineArn"), outputs.toString());
    }

    private static JsonNode translated(Map<String, String> parameterOverrides) {
        return TestStacks.translated(TEMPLATE, parameterOverrides, EMULATOR.emulator().endpoint()).path("Resources");
    }

    private static JsonNode function(JsonNode resources, String logicalId, List<String> variables) {
        JsonNode function = resources.path(logicalId).path("Properties");
        assertTrue(function.path("Handler").asText().startsWith(HANDLER + "::"), function.path("Handler").asText());
        assertTrue(function.at("/Code/S3Key").asText().endsWith("replay.jar"), function.path("Code").toString());
        assertEquals(900, function.path("Timeout").asInt());
        for (String variable : variables) {
            JsonNode value = function.at("/Environment/Variables/" + variable);
            assertTrue(!value.isMissingNode() && !(value.isTextual() && value.asText().isBlank()), logicalId + " has " + variable + ": "
                    + function.path("Environment"));
        }
        return function;
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> texts.add(element.asText()));
        } else {
            texts.add(node.asText());
        }
        return texts;
    }

    private static void assertRetriesLambdaServiceErrors(JsonNode state) {
        List<String> errors = errorsRetried(state);
        assertTrue(errors.containsAll(List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
                "Lambda.SdkClientException", "Lambda.TooManyRequestsException")), errors.toString());
    }

    private static List<String> errorsRetried(JsonNode state) {
        List<String> errors = new ArrayList<>();
        state.path("Retry").forEach(retry -> retry.path("ErrorEquals").forEach(error -> errors.add(error.asText())));
        return errors;
    }
}
