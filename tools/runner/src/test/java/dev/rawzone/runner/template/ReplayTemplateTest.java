package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

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
 * template.yaml's ReplayFunction, ReplayVerifyFunction and ReplayStateMachine, read with the runner's template
 * resolver: each function gets every variable its wiring reads and the modes it runs, the verify function's role
 * only reads (and writes verify's own records), and the state machine's definition names the functions, the raw
 * bucket and parameters that exist, picks the function by mode, and concludes the run after its map.
 */
class ReplayTemplateTest {
    private static final Path TEMPLATE = Path.of("..", "..", "template.yaml");
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
        Template template = Template.load(TEMPLATE);
        FunctionSpec readWrite = function(template, "ReplayFunction", VARIABLES);
        FunctionSpec readOnly = function(template, "ReplayVerifyFunction", VERIFY_VARIABLES);

        assertEquals("redrive,rebuild", readWrite.environment().get("REPLAY_MODES"));
        assertEquals("verify", readOnly.environment().get("REPLAY_MODES"));
        assertEquals(readWrite.codeUri(), readOnly.codeUri(), "one jar");
        assertEquals(template.intrinsics(null).names().ref("StreamIngestFailureQueue"),
                readWrite.environment().get("STREAM_FAILURE_QUEUE_URL"));
    }

    @Test
    void theVerifyFunctionsRoleReadsAndWritesOnlyVerifysOwnRecords() {
        Template template = Template.load(TEMPLATE);
        Intrinsics intrinsics = template.intrinsics(null);
        JsonNode policies = intrinsics.resolve(template.properties("ReplayVerifyFunction")).get("Policies");
        String raw = intrinsics.names().getAtt("RawBucket", "Arn");
        List<String> writes = new ArrayList<>();
        for (JsonNode statement : policies.findValues("Statement").get(0)) {
            List<String> actions = texts(statement.get("Action"));
            for (String action : actions) {
                assertTrue(action.matches("(s3|kinesis):(Get|List|Describe)[A-Za-z]*|s3:PutObject"), action + " in " + statement);
            }
            if (actions.contains("s3:PutObject")) {
                writes.addAll(texts(statement.get("Resource")));
            }
        }
        assertEquals(List.of(raw + "/manifests/replay/verify/*"), writes, "its plans and run manifests only");
    }

    @Test
    void everyVariableOfTheDefinitionIsAParameterOrResourceOfTheTemplate() {
        Template template = Template.load(TEMPLATE);
        Matcher variables = VARIABLE.matcher(definitionText(template));
        List<String> named = new ArrayList<>();
        while (variables.find()) {
            String name = variables.group(1);
            named.add(name);
            String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            assertTrue(id.startsWith("AWS::") || template.hasParameter(id) || template.resource(id).isPresent(),
                    "${" + name + "} names nothing in the template");
        }
        assertTrue(named.containsAll(List.of("ReplayFunction.Alias", "ReplayVerifyFunction.Alias", "RawBucket",
                "ReplayMaxConcurrency", "ReplayToleratedFailurePercentage")), named.toString());
    }

    @Test
    void theFunctionByModeThenPlanThenADistributedMapOfOneInvocationPerItemThenConclude() throws IOException {
        Template template = Template.load(TEMPLATE, Map.of("ReplayMaxConcurrency", "37",
                "ReplayToleratedFailurePercentage", "5"));
        Intrinsics intrinsics = template.intrinsics(null);
        JsonNode definition = MAPPER.readTree(intrinsics.text(template.properties("ReplayStateMachine")
                .get("DefinitionString"), "DefinitionString"));
        String readWrite = intrinsics.names().aliasArn("ReplayFunction"); // the published version SnapStart restores
        String readOnly = intrinsics.names().aliasArn("ReplayVerifyFunction");
        String raw = intrinsics.names().ref("RawBucket");

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
        Template template = Template.load(TEMPLATE);
        Intrinsics intrinsics = template.intrinsics(null);
        JsonNode role = intrinsics.resolve(template.properties("ReplayStateMachineRole"));
        assertEquals(intrinsics.names().getAtt("ReplayStateMachineRole", "Arn"),
                intrinsics.resolve(template.properties("ReplayStateMachine").get("RoleArn")).asText());
        JsonNode invoke = role.at("/Policies/0/PolicyDocument/Statement/0");
        assertEquals("lambda:InvokeFunction", invoke.get("Action").asText());
        assertTrue(texts(invoke.get("Resource")).containsAll(List.of(intrinsics.names().getAtt("ReplayFunction", "Arn"),
                intrinsics.names().getAtt("ReplayVerifyFunction", "Arn"))), invoke.toString());
        JsonNode outputs = CfnYaml.parse(Files.readString(TEMPLATE)).path("Outputs");
        assertTrue(outputs.has("ReplayFunctionArn") && outputs.has("ReplayVerifyFunctionArn")
                && outputs.has("ReplayStateMachineArn"), outputs.toString());
    }

    private static FunctionSpec function(Template template, String logicalId, List<String> variables) {
        FunctionSpec function = template.function(logicalId, template.intrinsics(null));
        assertEquals(HANDLER, function.handlerClass());
        assertTrue(function.codeUri().endsWith(Path.of("functions", "replay", "target", "replay.jar")),
                function.codeUri().toString());
        assertEquals(900, function.timeoutSeconds());
        for (String variable : variables) {
            String value = function.environment().get(variable);
            assertTrue(value != null && !value.isBlank(), logicalId + " has " + variable + ": " + function.environment());
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

    private static String definitionText(Template template) {
        return template.properties("ReplayStateMachine").at("/DefinitionString/Fn::Sub").asText();
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
