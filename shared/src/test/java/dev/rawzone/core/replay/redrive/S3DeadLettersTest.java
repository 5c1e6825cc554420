package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.Announcement;
import dev.rawzone.core.s3.S3EventNotices;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.RawZoneReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rawzone.core.replay.redrive.FailureRecords.MAPPER;
import static dev.rawzone.core.replay.redrive.FailureRecords.VISIBILITY;
import static dev.rawzone.core.replay.redrive.FailureRecords.drain;
import static dev.rawzone.core.replay.redrive.FailureRecords.onFailure;
import static dev.rawzone.core.replay.redrive.FailureRecords.run;
import static dev.rawzone.core.replay.redrive.FailureRecords.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 ingest function's failure queue re-driven against the emulator: the sample events of {@code events/}, on the
 * queue as Lambda's on-failure destination (or a dead-letter queue) puts them, their objects from
 * {@code events/objects/} in the landing bucket, ingested by the real ingest core with the function's routing and
 * its schemas read from S3.
 */
class S3DeadLettersTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String LANDING = "rawzone-landing-123456789012-us-east-1";
    private static final String RAW = "redrive-raw";
    private static final String SCHEMAS = "redrive-schemas";
    private static final String KEY = "orders/2026-11-25/orders-001.jsonl";
    private static final Path FUNCTION = Path.of("..", "functions", "s3-ingest", "src", "main", "resources");

    private S3Client s3;
    private FailureRecords records;
    private FailureQueue queue;
    private S3ObjectIngester ingester;
    private String versionId;

    @BeforeEach
    void setUp() {
        Map<String, String> environment = EMULATOR.emulator().environment();
        s3 = new AwsClients(environment).s3();
        for (String bucket : List.of(LANDING, RAW)) {
            s3.createBucket(create -> create.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        versionId = s3.putObject(put -> put.bucket(LANDING).key(KEY),
                RequestBody.fromFile(FailureRecords.EVENTS.resolve("objects").resolve(KEY))).versionId();
        records = new FailureRecords(environment);
        queue = records.queue("s3-ingest-dlq");
        ingester = new S3ObjectIngester(s3, new S3ConditionalSink(s3, RAW), RAW,
                Routing.load(FUNCTION.resolve("ingest.json").toString(), () -> s3),
                new SchemaCatalogue(SchemaSources.fromLocation("s3://" + SCHEMAS + "/schemas", () -> s3)),
                PartPolicy.defaults(), ReaderLimits.defaults(), MAPPER);
    }

    @Test
    void aFailedEventIsIngestedOnceWithTheReplayRunInItsLineageAndItsMessageIsDeleted() {
        uploadSchemas();
        records.send(queue, onFailure("S3IngestFunction", putEvent(), "Rate exceeded"));

        UnitResult result = drain("s3", queue, redrive(), run("redrive-1", false));

        assertEquals(UnitStatus.DONE, result.status(), result.detail());
        assertEquals(5, result.counts().in());
        assertEquals(5, result.counts().written());
        assertEquals(List.of("s3://" + LANDING + "/" + KEY + "?versionId=" + versionId), result.read());
        assertEquals(raw().parts("raw/"), result.written());
        assertEquals(5, raw().lines("raw/").size());
        List<String> written = new ArrayList<>(raw().parts("raw/"));
        written.addAll(raw().keys("manifests/s3/"));
        assertEquals(3, written.size(), "a part, its object manifest and its decision: " + written);
        for (String key : written) {
            assertEquals("redrive-1", raw().metadata(key).get("replay-run"), key);
            assertEquals("redrive", raw().metadata(key).get("replay-mode"), key);
        }
        assertEquals(0, records.depth(queue), "the settled message is deleted");
    }

    @Test
    void anEventWhoseObjectVersionIsGoneIsReportedLostWithTheVersionNotSettled() {
        uploadSchemas();
        s3.deleteObject(delete -> delete.bucket(LANDING).key(KEY).versionId(versionId));
        records.send(queue, onFailure("S3IngestFunction", putEvent(), "Rate exceeded"));

        UnitResult result = drain("s3", queue, redrive(), run("redrive-gone", false));

        assertEquals(UnitStatus.LOST, result.status(), result.detail());
        assertTrue(result.detail().contains("lost at the source, the announced version is gone: MISSING s3://" + LANDING
                + "/" + KEY + "?versionId=" + versionId), result.detail());
        assertEquals(List.of(), raw().parts("raw/"));
        assertEquals(0, records.depth(queue), "reported lost in the run, so the message is not kept for ever");
    }

    @Test
    void anEventBridgeEventFromADeadLetterQueueIsReadAsTheFunctionReadsIt() {
        uploadSchemas();

        MessageOutcome outcome = redrive().redrive(sample("eventbridge-object-created.json"), run("redrive-2", false));

        assertEquals(MessageOutcome.Disposition.SETTLED, outcome.disposition(), outcome.detail());
        assertEquals(5, outcome.counts().written());
        assertTrue(outcome.detail().startsWith("dead letter: INGESTED s3://" + LANDING + "/" + KEY + "?etag="),
                "no version id in the sample: the object is named by its ETag, as the function names it: "
                        + outcome.detail());
        assertEquals(raw().parts("raw/"), outcome.written());
    }

    @Test
    void anEventAlreadyIngestedIsSettledWithDuplicatesOnlyAndWritesNothing() {
        uploadSchemas();
        for (Announcement announcement : new S3EventNotices(MAPPER).parse(putEvent().getBytes(StandardCharsets.UTF_8))) {
            ingester.ingest(((Announcement.Ingest) announcement).notice(), new RunContext("test", "first-attempt"));
        }
        int versions = rawVersions();
        records.send(queue, onFailure("S3IngestFunction", putEvent(), "Task timed out after 900.00 seconds"));

        UnitResult result = drain("s3", queue, redrive(), run("redrive-3", false));

        assertEquals(UnitStatus.DONE, result.status(), "the message is settled and deleted: " + result.detail());
        assertEquals(5, result.counts().duplicates());
        assertEquals(0, result.counts().written());
        assertEquals(versions, rawVersions(), "nothing is written, not even a manifest");
        assertEquals(0, records.depth(queue));
    }

    @Test
    void theSameMessageDeliveredTwiceWritesEachRecordOnce() {
        uploadSchemas();
        String message = onFailure("S3IngestFunction", putEvent(), "Rate exceeded");
        records.send(queue, message);
        records.send(queue, message);

        UnitResult result = drain("s3", queue, redrive(), run("redrive-4", false));

        assertEquals(UnitStatus.DONE, result.status(), result.detail());
        assertEquals(5, result.counts().written());
        assertEquals(5, result.counts().duplicates());
        assertEquals(5, raw().lines("raw/").size());
        assertEquals(0, records.depth(queue), "both copies are deleted");
    }

    @Test
    void aMessageWhoseObjectStillFailsStaysOnTheQueueUntilARedriveAfterTheFix() throws InterruptedException {
        records.send(queue, onFailure("S3IngestFunction", putEvent(), "NoSuchBucket"));

        UnitResult failed = drain("s3", queue, redrive(), run("redrive-5", false));

        assertEquals(UnitStatus.FAILED, failed.status());
        assertTrue(failed.detail().contains("0 messages settled and deleted, 0 lost at the source, 1 kept"), failed.detail());
        assertTrue(failed.detail().contains("s3://" + LANDING + "/" + KEY + "?versionId=" + versionId + " failed"),
                failed.detail());
        assertEquals(List.of(), raw().keys(""), "nothing written while the schemas cannot be read");
        assertEquals(1, records.depth(queue), "the message stays");
        Thread.sleep(VISIBILITY.toMillis() + 500);
        assertEquals(1, records.visible(queue).size(), "visible again after the visibility timeout");

        uploadSchemas();
        UnitResult retried = drain("s3", queue, redrive(), run("redrive-6", false));

        assertEquals(UnitStatus.DONE, retried.status(), retried.detail());
        assertEquals(5, retried.counts().written());
        assertEquals(0, records.depth(queue));
    }

    @Test
    void aMalformedMessageStaysWithItsReasonAndNothingIsWritten() {
        uploadSchemas();
        records.send(queue, "RetriesExhausted, see the logs");
        records.send(queue, "{\"version\":\"1.0\",\"requestContext\":{\"requestId\":\"r-1\"},\"requestPayload\":\"{}\"}");
        records.send(queue, onFailure("S3IngestFunction", sample("malformed.json"), "missing key"));
        records.send(queue, "{\"hello\":\"world\"}");

        UnitResult result = drain("s3", queue, redrive(), run("redrive-7", false));

        assertEquals(UnitStatus.FAILED, result.status());
        assertTrue(result.detail().contains("4 kept"), result.detail());
        for (String reason : List.of("message is not JSON", "requestPayload is not an object",
                "Records[0].s3.object.key is missing", "not an S3 notification")) {
            assertTrue(result.detail().contains(reason), reason + " in " + result.detail());
        }
        assertEquals(4, records.depth(queue));
        assertEquals(List.of(), raw().keys(""));
    }

    @Test
    void aDryRunSaysWhatItWouldIngestAndDeletesAndWritesNothing() {
        uploadSchemas();
        records.send(queue, onFailure("S3IngestFunction", putEvent(), "Rate exceeded"));

        UnitResult result = drain("s3", queue, redrive(), run("redrive-8", true));

        assertEquals(UnitStatus.PLANNED, result.status(), result.detail());
        assertTrue(result.detail().contains("would ingest s3://" + LANDING + "/" + KEY + "?versionId=" + versionId),
                result.detail());
        assertEquals(List.of(), raw().keys(""), "no part, manifest or decision");
        assertEquals(1, records.visible(queue).size(), "the message stays, visible to the next redrive");
    }

    private S3DeadLetters redrive() {
        return new S3DeadLetters(ingester, MAPPER);
    }

    /** {@code events/s3-put.json} as S3 sends it from the versioned landing bucket: with the object's version id. */
    private String putEvent() {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree(sample("s3-put.json"));
            ((ObjectNode) event.get("Records").get(0).get("s3").get("object")).put("versionId", versionId);
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until this, the schema location cannot be read (its bucket does not exist), as after a mistyped SCHEMA_LOCATION. */
    private void uploadSchemas() {
        s3.createBucket(create -> create.bucket(SCHEMAS));
        s3.putObject(put -> put.bucket(SCHEMAS).key("schemas/orders/v1.json"),
                RequestBody.fromFile(FUNCTION.resolve("schemas/orders/v1.json")));
    }

    private RawZoneReader raw() {
        return new RawZoneReader(s3, RAW);
    }

    private int rawVersions() {
        return s3.listObjectVersions(list -> list.bucket(RAW)).versions().size();
    }
}
