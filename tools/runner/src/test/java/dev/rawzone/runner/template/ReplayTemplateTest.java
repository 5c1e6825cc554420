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
 * template.yaml's ReplayFunction and ReplayStateMachine, read with the runner's template resolver: the function
 * gets every variable its wiring reads, and the state machine's definition names the function, the raw bucket and
 * parameters that exist, and uses the concurrency and tolerated-failure parameters.
 */
class ReplayTemplateTest {
    private static final Path TEMPLATE = Path.of("..", "..", "template.yaml");
    // ReplayFunction's contract with the template, as functions/replay states it (the variables ReplayWiring reads, the
    // handler and the exception a FAILED unit throws); this module runs the function's jar, it does not link its classes.
    private static final String HANDLER = "dev.rawzone.functions.replay.ReplayHandler";
    private static final String UNIT_FAILED = "dev.rawzone.functions.replay.UnitFailedException";
    private static final List<String> VARIABLES = List.of("RAW_BUCKET", "SCHEMA_LOCATION", "INGEST_CONFIG",
            "STREAM_CONFIG", "PIPELINE_VERSION", "CHECKPOINT_TABLE", "S3_DEAD_LETTER_QUEUE_URL",
            "STREAM_FAILURE_QUEUE_URL", "PULL_DEAD_LETTER_QUEUE_URL", "PULL_SOURCES", "REPLAY_TIME_RESERVE_MS");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theFunctionRunsThisHandlerAndIsGivenEveryVariableItsWiringReads() throws ClassNotFoundException {
        Template template = Template.load(TEMPLATE);
        FunctionSpec function = template.function("ReplayFunction", template.intrinsics(null));

        assertEquals(HANDLER, function.handlerClass());
        assertTrue(function.codeUri().endsWith(Path.of("functions", "replay", "target", "replay.jar")),
                function.codeUri().toString());
        assertEquals(900, function.timeoutSeconds());
        for (String variable : VARIABLES) {
            String value = function.environment().get(variable);
            assertTrue(value != null && !value.isBlank(), variable + " is set: " + function.environment());
        }
        assertEquals(template.intrinsics(null).names().ref("StreamIngestFailureQueue"),
                function.environment().get("STREAM_FAILURE_QUEUE_URL"));
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
        assertTrue(named.containsAll(List.of("ReplayFunction.Alias", "RawBucket", "ReplayMaxConcurrency",
                "ReplayToleratedFailurePercentage")), named.toString());
    }

    @Test
    void planThenADistributedMapOfOneReplayFunctionInvocationPerItemOfThePlan() throws IOException {
        Template template = Template.load(TEMPLATE, Map.of("ReplayMaxConcurrency", "37",
                "ReplayToleratedFailurePercentage", "5"));
        Intrinsics intrinsics = template.intrinsics(null);
        JsonNode definition = MAPPER.readTree(intrinsics.text(template.properties("ReplayStateMachine")
                .get("DefinitionString"), "DefinitionString"));
        String function = intrinsics.names().aliasArn("ReplayFunction"); // the published version SnapStart restores
        String raw = intrinsics.names().ref("RawBucket");

        JsonNode plan = definition.at("/States/Plan");
        assertEquals("Plan", definition.at("/States/Defaults/Next").asText());
        assertEquals(function, plan.at("/Parameters/FunctionName").asText());
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

        JsonNode unit = map.at("/ItemProcessor/States").get(map.at("/ItemProcessor/StartAt").asText());
        assertEquals(function, unit.at("/Parameters/FunctionName").asText());
        assertEquals("$.Payload", unit.get("OutputPath").asText());
        assertRetriesLambdaServiceErrors(unit);
        assertTrue(errorsRetried(unit).contains(UNIT_FAILED), "a FAILED unit is retried");
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
        assertEquals(intrinsics.names().getAtt("ReplayFunction", "Arn"), invoke.at("/Resource/0").asText());
        JsonNode outputs = CfnYaml.parse(Files.readString(TEMPLATE)).path("Outputs");
        assertTrue(outputs.has("ReplayFunctionArn") && outputs.has("ReplayStateMachineArn"), outputs.toString());
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
