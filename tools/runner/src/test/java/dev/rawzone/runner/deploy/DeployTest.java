package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.demo.RepositoryDemo;
import dev.rawzone.testkit.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * template.yaml deployed as {@code ./ingest deploy} deploys it (the SAM translator, then the emulator's
 * CloudFormation), and each resource the code relies on read back from the service that holds it.
 * moto 5.2.1's CloudFormation creates no alarms and the runner sets no bucket notification there: those are checked
 * in the template the stack was created from, against the resources and metrics that exist.
 */
class DeployTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = RepositoryDemo.ROOT;
    private static final long FOURTEEN_DAYS = 14 * 24 * 3600;
    private static final Map<String, Set<String>> AWS_METRICS = Map.of(
            "AWS/Lambda", Set.of("Errors", "Throttles", "Duration", "Invocations", "IteratorAge", "ConcurrentExecutions"),
            "AWS/SQS", Set.of("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage",
                    "NumberOfMessagesSent"),
            "AWS/States", Set.of("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"));

    static Emulator emulator;
    static AwsClients aws;
    static DeployedStack stack;

    @BeforeAll
    static void deploy() {
        RepositoryDemo.requireBuiltJars();
        emulator = Emulator.start();
        aws = new AwsClients(emulator.endpoint());
        stack = TestStacks.deploy(emulator.endpoint(), ROOT.resolve("template.yaml"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            aws.close();
            emulator.close();
        }
    }

    @Test
    void theLandingBucketIsVersionedAndAnnouncesEveryCreatedObjectToS3IngestFunction() {
        String landing = stack.name("LandingBucket");
        assertEquals(landing, stack.outputs().get("LandingBucketName"));
        assertEquals(BucketVersioningStatus.ENABLED, aws.s3().getBucketVersioning(v -> v.bucket(landing)).status(),
                "identity is bucket + key + versionId");
        // not applied on the emulator (EmulatorGaps): checked in the template the stack was created from
        JsonNode notifications = stack.template().at("/Resources/LandingBucket/Properties/NotificationConfiguration/LambdaConfigurations");
        assertEquals(1, notifications.size(), notifications.toString());
        assertEquals("s3:ObjectCreated:*", notifications.get(0).path("Event").asText());
        assertEquals("[\"S3IngestFunction\",\"Arn\"]", notifications.get(0).path("Function").path("Fn::GetAtt").toString(),
                "S3IngestFunction (its alias on AWS)");
        assertEquals(BucketVersioningStatus.ENABLED,
                aws.s3().getBucketVersioning(v -> v.bucket(stack.name("RawBucket"))).status(), "the raw zone is versioned");
    }

    @Test
    void bothBucketsDenyEveryRequestNotMadeOverTls() {
        // moto skips bucket policies (EmulatorGaps): checked as the template gives them to the deployed buckets
        Map<String, JsonNode> policies = BucketPolicies.of(stack);
        for (String bucket : List.of("LandingBucket", "RawBucket")) {
            String name = stack.name(bucket);
            JsonNode policy = policies.get(name);
            assertTrue(policy != null, bucket + " has no policy: " + policies.keySet());
            JsonNode statement = policy.path("Statement").get(0);
            assertEquals(1, policy.path("Statement").size(), policy.toString());
            assertEquals("Deny", statement.path("Effect").asText());
            assertEquals("*", statement.path("Principal").asText());
            assertEquals("s3:*", statement.path("Action").asText());
            assertEquals("[\"arn:aws:s3:::" + name + "\",\"arn:aws:s3:::" + name + "/*\"]",
                    statement.path("Resource").toString(), "the bucket and every object in it");
            assertEquals("false", statement.at("/Condition/Bool/aws:SecureTransport").asText(), policy.toString());
        }
    }

    @Test
    void everyFailureQueueKeepsItsMessagesFourteenDaysAndTheContinuationQueueRedrivesToItsOwn() throws IOException {
        for (String queue : List.of("S3IngestDeadLetterQueue", "S3ContinuationDeadLetterQueue", "StreamIngestFailureQueue",
                "PullIngestDeadLetterQueue", "S3ContinuationQueue")) {
            assertEquals(Long.toString(FOURTEEN_DAYS), attribute(queue, QueueAttributeName.MESSAGE_RETENTION_PERIOD), queue);
        }
        JsonNode redrive = JSON.readTree(attribute("S3ContinuationQueue", QueueAttributeName.REDRIVE_POLICY));
        assertEquals(queueArn("S3ContinuationDeadLetterQueue"), redrive.path("deadLetterTargetArn").asText());
        assertTrue(redrive.path("maxReceiveCount").asInt() > 1, redrive.toString());
    }

    @Test
    void theStreamMappingReportsBatchItemFailuresBisectsAndSendsWhatItGivesUpOnToTheFailureQueue() {
        GetEventSourceMappingResponse stream = mapping("StreamIngestEventSourceMapping");
        assertEquals(stack.outputs().get("IngestStreamArn"), stream.eventSourceArn());
        assertEquals(functionArn("StreamIngestFunction"), stream.functionArn());
        assertEquals(List.of("ReportBatchItemFailures"), stream.functionResponseTypesAsStrings(),
                "without it Lambda ignores the partial batch response");
        assertTrue(stream.bisectBatchOnFunctionError());
        assertEquals(queueArn("StreamIngestFailureQueue"), stream.destinationConfig().onFailure().destination());
        assertEquals("TRIM_HORIZON", stream.startingPositionAsString());
        assertTrue(stream.maximumRetryAttempts() >= 0 && stream.maximumRecordAgeInSeconds() > 0,
                "a poison batch ends on the failure queue, not retried for ever: " + stream);

        GetEventSourceMappingResponse continuation = mapping("S3ContinuationEventSourceMapping");
        assertEquals(queueArn("S3ContinuationQueue"), continuation.eventSourceArn());
        assertEquals(functionArn("S3IngestFunction"), continuation.functionArn());
    }

    @Test
    void aContinuationStaysOnItsQueueForTheRunnerToDeliver() {
        assertFalse(mapping("S3ContinuationEventSourceMapping").state().equalsIgnoreCase("Enabled"),
                "moto would run the function for the message, and delete it");
        assertFalse(mapping("StreamIngestEventSourceMapping").state().equalsIgnoreCase("Enabled"));
        String queue = stack.physicalId("S3ContinuationQueue");
        aws.sqs().sendMessage(m -> m.queueUrl(queue).messageBody("{\"continuation\":\"DeployTest\"}"));
        List<String> bodies = aws.sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages().stream()
                .map(Message::body).toList();
        assertEquals(List.of("{\"continuation\":\"DeployTest\"}"), bodies);
    }

    @Test
    void theContactsScheduleInvokesThePullFunctionWithItsSource() throws IOException {
        try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.of(Emulator.REGION)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY))).build()) {
            String rule = stack.physicalId("PullIngestFunctionPullContacts");
            assertEquals("rate(15 minutes)", events.describeRule(d -> d.name(rule)).scheduleExpression(),
                    "PullContactsSchedule's default");
            List<Target> targets = events.listTargetsByRule(l -> l.rule(rule)).targets();
            assertEquals(1, targets.size(), targets.toString());
            assertEquals(functionArn("PullIngestFunction"), targets.get(0).arn());
            JsonNode input = JSON.readTree(targets.get(0).input());
            assertEquals("contacts", input.at("/detail/source").asText(), "the source the run pulls: " + input);
        }
    }

    @Test
    void theCheckpointTableIsKeyedByPkAloneWithPointInTimeRecovery() {
        String table = stack.name("CheckpointTable");
        var description = aws.dynamoDb().describeTable(d -> d.tableName(table)).table();
        assertEquals(1, description.keySchema().size(), description.keySchema().toString());
        assertEquals("pk", description.keySchema().get(0).attributeName(), "shard ledgers and pull cursors: pk only");
        assertEquals("HASH", description.keySchema().get(0).keyTypeAsString());
        assertEquals("ENABLED", aws.dynamoDb().describeContinuousBackups(d -> d.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString());
    }

    @Test
    void everyAlarmWatchesAMetricThatExistsOnAResourceOfTheStack() throws IOException {
        String sources = functionSources();
        List<String> checked = new ArrayList<>();
        stack.template().path("Resources").fields().forEachRemaining(resource -> {
            if (!resource.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                return;
            }
            String alarm = resource.getKey();
            JsonNode properties = resource.getValue().path("Properties");
            List<JsonNode> metrics = new ArrayList<>();
            if (properties.has("MetricName")) {
                metrics.add(properties);
            }
            properties.path("Metrics").forEach(m -> {
                if (m.has("MetricStat")) {
                    metrics.add(m.at("/MetricStat/Metric"));
                }
            });
            assertFalse(metrics.isEmpty(), alarm + " watches no metric");
            for (JsonNode metric : metrics) {
                String namespace = metric.path("Namespace").asText();
                String name = metric.path("MetricName").asText();
                if (AWS_METRICS.containsKey(namespace)) {
                    assertTrue(AWS_METRICS.get(namespace).contains(name), alarm + ": " + namespace + " has no " + name);
                    metric.path("Dimensions").forEach(d -> assertDimensionNamesAResource(alarm, d));
                } else {
                    assertTrue(sources.contains("\"" + name + "\""), alarm + ": no function emits " + name);
                    assertTrue(stack.functionIds().stream().anyMatch(id -> emits(id, namespace, metric.path("Dimensions"))),
                            alarm + ": no function has namespace " + namespace + " and " + metric.path("Dimensions"));
                }
                checked.add(alarm);
            }
        });
        assertTrue(checked.size() >= 10, "the template's alarms: " + checked);
    }

    private void assertDimensionNamesAResource(String alarm, JsonNode dimension) {
        JsonNode value = dimension.path("Value");
        String id = value.has("Ref") ? value.path("Ref").asText() : value.path("Fn::GetAtt").path(0).asText();
        assertTrue(stack.has(id), alarm + ": dimension " + dimension + " names no resource of the stack");
        String expected = switch (dimension.path("Name").asText()) {
            case "FunctionName" -> "AWS::Lambda::Function";
            case "QueueName" -> "AWS::SQS::Queue";
            case "StateMachineArn" -> "AWS::StepFunctions::StateMachine";
            default -> stack.resource(id).orElseThrow().type();
        };
        assertEquals(expected, stack.resource(id).orElseThrow().type(), alarm + ": " + dimension);
    }

    /** The function's deployed namespace and service dimension are the alarm's (Powertools names both). */
    private static boolean emits(String functionId, String namespace, JsonNode dimensions) {
        Map<String, String> environment = stack.function(functionId).environment();
        if (!namespace.equals(environment.get("POWERTOOLS_METRICS_NAMESPACE"))) {
            return false;
        }
        for (JsonNode dimension : dimensions) {
            if (dimension.path("Name").asText().equals("service")
                    && !dimension.path("Value").asText().equals(environment.get("POWERTOOLS_SERVICE_NAME"))) {
                return false;
            }
        }
        return true;
    }

    private static String functionSources() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path tree : List.of(ROOT.resolve("shared/src/main/java"), ROOT.resolve("functions"))) {
            try (Stream<Path> files = Files.walk(tree)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")
                        && f.toString().contains("src" + java.io.File.separator + "main"))::iterator) {
                    text.append(Files.readString(file));
                }
            }
        }
        return text.toString();
    }

    private static String functionArn(String logicalId) {
        return aws.lambda().getFunctionConfiguration(g -> g.functionName(stack.physicalId(logicalId))).functionArn();
    }

    private static String attribute(String queue, QueueAttributeName name) {
        return aws.sqs().getQueueAttributes(a -> a.queueUrl(stack.physicalId(queue)).attributeNames(name))
                .attributes().get(name);
    }

    private static String queueArn(String queue) {
        return attribute(queue, QueueAttributeName.QUEUE_ARN);
    }

    private static GetEventSourceMappingResponse mapping(String logicalId) {
        return aws.lambda().getEventSourceMapping(g -> g.uuid(stack.physicalId(logicalId)));
    }
}
