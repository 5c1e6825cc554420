package dev.rawzone.simulation;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab is template.yaml as the emulator's CloudFormation deployed it, not a wiring of the simulation's own. */
class LabTest {
    static final Path TEMPLATE = RunnerLocation.current().template()
            .orElseThrow(() -> new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath()));

    private static Lab lab;

    @BeforeAll
    static void deploy() {
        lab = Lab.start(TEMPLATE, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theNamesAreTheStacksResources() {
        assertEquals(lab.stack.outputs().get("LandingBucketName"), lab.landing);
        assertEquals(lab.stack.outputs().get("RawBucketName"), lab.raw);
        assertEquals(lab.stack.outputs().get("CheckpointTableName"), lab.table);
    }

    /** The checkpoint store calls DynamoDB without an SDK client, so no SDK interceptor sees its calls. */
    @Test
    void aCrashIsPlacedBeforeOrAfterTheCheckpointStoresPutItemAsAroundAnSdkClientsCall() {
        CheckpointStore store = new DynamoDbCheckpointStore(
                new AwsClients(lab.functionEnvironment("StreamIngestFunction", Map.of())).dynamoDbJson(), lab.table);

        CrashPlan.arm(new CrashPoint("PutItem", lab.table, 1, CrashPoint.When.BEFORE));
        assertThrows(SimulatedCrash.class, () -> store.advance(Checkpoint.absent("lab-before"), Map.of("at", "1")));
        assertTrue(CrashPlan.disarm());
        assertEquals(0, store.get("lab-before").version(), "nothing was written");

        CrashPlan.arm(new CrashPoint("PutItem", lab.table, 1, CrashPoint.When.AFTER));
        assertThrows(SimulatedCrash.class, () -> store.advance(Checkpoint.absent("lab-after"), Map.of("at", "1")));
        assertTrue(CrashPlan.disarm());
        assertEquals(1, store.get("lab-after").version(), "the write took effect before the crash");
    }

    /** A copy into quarantine is a crash point as a put is: its target is the copy's destination key. */
    @Test
    void aCrashIsPlacedBeforeACopyIntoQuarantineAsBeforeAPut() {
        lab.s3.putObject(p -> p.bucket(lab.landing).key("in/lab-copy.jsonl"), RequestBody.fromString("{}\n"));
        CrashPlan.arm(new CrashPoint("CopyObject", "quarantine/", 1, CrashPoint.When.BEFORE));
        assertThrows(SimulatedCrash.class, () -> lab.s3.copyObject(c -> c.sourceBucket(lab.landing)
                .sourceKey("in/lab-copy.jsonl").destinationBucket(lab.raw).destinationKey("quarantine/lab-copy")));
        assertTrue(CrashPlan.disarm());
    }

    @Test
    void aFunctionRunsWithItsDeployedEnvironmentThroughTheProxy() {
        Map<String, String> s3 = lab.functionEnvironment("S3IngestFunction",
                Map.of(ScenarioSetting.PART_MAX_RECORDS, "3"));
        assertEquals(lab.raw, s3.get("RAW_BUCKET"));
        assertEquals(lab.physicalId("S3ContinuationQueue"), s3.get("CONTINUATION_QUEUE_URL"));
        assertEquals(lab.deployedEnvironment("S3IngestFunction").get("PIPELINE_VERSION"), s3.get("PIPELINE_VERSION"));
        assertEquals("3", s3.get("PART_MAX_RECORDS"));
        assertEquals(lab.proxy.endpoint().toString(), s3.get("AWS_ENDPOINT_URL"));

        Map<String, String> stream = lab.functionEnvironment("StreamIngestFunction", Map.of());
        assertEquals(lab.table, stream.get("CHECKPOINT_TABLE"));
        assertEquals(lab.deployedEnvironment("StreamIngestFunction").get("INGEST_CONFIG"), stream.get("INGEST_CONFIG"),
                "a variable no ScenarioSetting names stays as deployed");
    }

    @Test
    void aResetEmptiesTheStackAndKeepsIt() {
        String queue = lab.physicalId("S3ContinuationQueue");
        lab.s3.putObject(p -> p.bucket(lab.raw).key("raw/x"), RequestBody.fromString("one"));
        lab.s3.putObject(p -> p.bucket(lab.raw).key("raw/x"), RequestBody.fromString("two"));
        lab.s3.deleteObject(d -> d.bucket(lab.landing).key("in/gone"));
        lab.dynamoDb.putItem(p -> p.tableName(lab.table).item(Map.of("pk", AttributeValue.fromS("shard-1"))));
        lab.sqs.sendMessage(m -> m.queueUrl(queue).messageBody("continue"));
        lab.secrets.createSecret(c -> c.name("sim/lab-test").secretString("token"));
        lab.kinesis.createStream(c -> c.streamName("lab-test").shardCount(1));
        assertEquals(List.of("continue"), bodies(queue), "the stack's event source mapping is disabled: nothing took it");

        lab.reset();

        assertEquals(0, lab.s3.listObjectVersions(l -> l.bucket(lab.raw)).versions().size());
        assertEquals(0, lab.s3.listObjectVersions(l -> l.bucket(lab.landing)).deleteMarkers().size());
        assertEquals(0, lab.dynamoDb.scan(s -> s.tableName(lab.table)).count());
        assertEquals(List.of(), bodies(queue));
        assertEquals(0, lab.secrets.listSecrets().secretList().size());
        assertEquals(List.of(), lab.kinesis.listStreams().streamNames().stream().filter("lab-test"::equals).toList());
        assertDoesNotThrow(() -> lab.s3.headBucket(h -> h.bucket(lab.raw)), "the bucket itself stays");
        assertDoesNotThrow(() -> lab.dynamoDb.describeTable(d -> d.tableName(lab.table)), "the table itself stays");
    }

    private static List<String> bodies(String queue) {
        return lab.sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(0)).messages()
                .stream().map(Message::body).toList();
    }
}
