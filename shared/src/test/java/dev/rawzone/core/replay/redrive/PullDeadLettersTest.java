package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.PullStatus;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static dev.rawzone.core.replay.redrive.FailureRecords.MAPPER;
import static dev.rawzone.core.replay.redrive.FailureRecords.VISIBILITY;
import static dev.rawzone.core.replay.redrive.FailureRecords.drain;
import static dev.rawzone.core.replay.redrive.FailureRecords.onFailure;
import static dev.rawzone.core.replay.redrive.FailureRecords.run;
import static dev.rawzone.core.replay.redrive.FailureRecords.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull function's failure queue re-driven against the emulator (checkpoints in DynamoDB, the raw zone in S3)
 * and the testkit's sample API: the scheduled sample events of {@code events/}, on the queue as Lambda's on-failure
 * destination (or a dead-letter queue) puts them, each source pulled again by the real puller from its checkpoint.
 */
class PullDeadLettersTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String RAW = "redrive-raw";
    private static final String SCHEMAS = "redrive-schemas";
    private static final String TABLE = "redrive-checkpoints";
    private static final String TOKEN = "tok-redrive";
    private static final Path CONTACTS_SCHEMA =
            Path.of("..", "functions", "pull-ingest", "src", "main", "resources", "schemas", "contacts", "v1.json");

    private final SampleApi api = SampleApi.start(TOKEN);
    private final AtomicReference<String> token = new AtomicReference<>(TOKEN);
    private S3Client s3;
    private CheckpointStore checkpoints;
    private FailureRecords records;
    private FailureQueue queue;
    private SourcePuller puller;

    @BeforeEach
    void setUp() {
        Map<String, String> environment = EMULATOR.emulator().environment();
        AwsClients clients = new AwsClients(environment);
        s3 = clients.s3();
        s3.createBucket(create -> create.bucket(RAW));
        s3.putBucketVersioning(v -> v.bucket(RAW).versioningConfiguration(c -> c.status("Enabled")));
        s3.createBucket(create -> create.bucket(SCHEMAS));
        s3.putObject(put -> put.bucket(SCHEMAS).key("schemas/contacts/v1.json"), RequestBody.fromFile(CONTACTS_SCHEMA));
        clients.dynamoDb().createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        checkpoints = new DynamoDbCheckpointStore(clients.dynamoDbJson(), TABLE);
        records = new FailureRecords(environment);
        queue = records.queue("pull-ingest-dlq");
        puller = new SourcePuller(checkpoints, new S3ConditionalSink(s3, RAW),
                PageFetcher.create(Clock.systemUTC(), Sleeper.real(), new SplittableRandom(1)), reference -> token.get(),
                new SchemaCatalogue(SchemaSources.fromLocation("s3://" + SCHEMAS + "/schemas", () -> s3)),
                PartPolicy.defaults(), MAPPER, Clock.systemUTC(), 1000);
        api.seed(25, Instant.parse("2026-11-25T08:00:00Z"), Duration.ofMinutes(1));
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void theSourceTheMessageNamesIsPulledFromItsCheckpointWithTheReplayRunInItsLineage() {
        records.send(queue, onFailure("PullIngestFunction", sample("scheduled-source.json"),
                "1 of 1 pull sources failed: contacts: HTTP 503"));

        UnitResult result = drain("pull", queue, redrive(sources("contacts")), run("redrive-p1", false));

        assertEquals(UnitStatus.DONE, result.status(), result.detail());
        assertEquals(25, result.counts().written());
        assertEquals(List.of(contacts().identity().uri()), result.read());
        assertTrue(checkpoints.get(contacts().checkpointKey()).version() > 0, "the checkpoint moved");
        assertEquals(25, raw().lines("raw/").size());
        for (String part : raw().parts("raw/")) {
            assertEquals("redrive-p1", raw().metadata(part).get("replay-run"), part);
        }
        assertEquals(0, records.depth(queue));
    }

    @Test
    void aSourceThatStillFailsKeepsTheMessageAndItsCheckpointUntilARedriveAfterTheFix() throws InterruptedException {
        token.set("a-revoked-token");
        records.send(queue, onFailure("PullIngestFunction", sample("scheduled-source.json"), "HTTP 401"));

        UnitResult failed = drain("pull", queue, redrive(sources("contacts")), run("redrive-p2", false));

        assertEquals(UnitStatus.FAILED, failed.status());
        assertTrue(failed.detail().contains("contacts " + PullStatus.FAILED), failed.detail());
        assertEquals(0, checkpoints.get(contacts().checkpointKey()).version(), "the checkpoint did not move");
        assertEquals(List.of(), raw().keys("raw/"));
        assertEquals(1, records.depth(queue));
        Thread.sleep(VISIBILITY.toMillis() + 500);
        assertEquals(1, records.visible(queue).size(), "visible again after the visibility timeout");

        token.set(TOKEN);
        UnitResult retried = drain("pull", queue, redrive(sources("contacts")), run("redrive-p3", false));

        assertEquals(UnitStatus.DONE, retried.status(), retried.detail());
        assertEquals(25, retried.counts().written());
        assertEquals(0, records.depth(queue));
    }

    @Test
    void aRedriveOfASourceThatHasCaughtUpSinceWritesNothingNew() {
        assertEquals(PullStatus.COMPLETE,
                puller.pull(contacts(), TimeBudget.unlimited(), new RunContext("test", "next-schedule")).status());
        List<String> parts = raw().keys("raw/");
        records.send(queue, onFailure("PullIngestFunction", sample("scheduled-source.json"), "HTTP 503"));

        UnitResult result = drain("pull", queue, redrive(sources("contacts")), run("redrive-p4", false));

        assertEquals(UnitStatus.DONE, result.status(), result.detail());
        assertEquals(0, result.counts().written());
        assertEquals(parts, raw().keys("raw/"), "no new part");
        assertEquals(0, records.depth(queue));
    }

    @Test
    void aScheduleForEverySourceFromADeadLetterQueuePullsEachConfiguredSource() {
        MessageOutcome outcome = redrive(sources("contacts", "contacts_mirror"))
                .redrive(sample("scheduled-all.json"), run("redrive-p5", false));

        assertEquals(MessageOutcome.Disposition.SETTLED, outcome.disposition(), outcome.detail());
        assertEquals(50, outcome.counts().written(), "each source writes its own copy: " + outcome.detail());
        assertEquals(2, outcome.read().size());
        assertTrue(outcome.detail().startsWith("dead letter: contacts COMPLETE (3 pages, "), outcome.detail());
        assertTrue(outcome.detail().contains("; contacts_mirror COMPLETE"), outcome.detail());
    }

    @Test
    void aMessageNamingAnUnknownSourceOrOfAnotherShapeStaysWithItsReason() {
        records.send(queue, onFailure("PullIngestFunction",
                sample("scheduled-source.json").replace("\"contacts\"", "\"retired\""), "no pull source"));
        records.send(queue, sample("eventbridge-object-created.json"));
        records.send(queue, "[]");

        UnitResult result = drain("pull", queue, redrive(sources("contacts")), run("redrive-p6", false));

        assertEquals(UnitStatus.FAILED, result.status());
        assertTrue(result.detail().contains("3 kept"), result.detail());
        for (String reason : List.of("no pull source named retired is configured (configured: contacts)",
                "detail.version is not understood", "message is not a JSON object")) {
            assertTrue(result.detail().contains(reason), reason + " in " + result.detail());
        }
        assertEquals(3, records.depth(queue));
        assertEquals(0, api.requestCount());
    }

    @Test
    void aDryRunSaysWhereEachSourceWouldStartAndTouchesNothing() {
        records.send(queue, onFailure("PullIngestFunction", sample("scheduled-source.json"), "HTTP 503"));

        UnitResult result = drain("pull", queue, redrive(sources("contacts")), run("redrive-p7", true));

        assertEquals(UnitStatus.PLANNED, result.status(), result.detail());
        assertTrue(result.detail().contains("would pull contacts from " + api.endpoint()), result.detail());
        assertEquals(0, api.requestCount(), "no request to the API");
        assertEquals(0, checkpoints.get(contacts().checkpointKey()).version());
        assertEquals(List.of(), raw().keys(""));
        assertEquals(1, records.visible(queue).size(), "the message stays, visible to the next redrive");
    }

    private PullDeadLetters redrive(PullSources sources) {
        return new PullDeadLetters(puller, () -> sources, TimeBudget.unlimited(), MAPPER);
    }

    private PullSource contacts() {
        return sources("contacts").find("contacts").orElseThrow();
    }

    /** Sources of the sample API's contacts, ten to a page, by {@code updated_since}, under the given names. */
    private PullSources sources(String... names) {
        ObjectNode root = MAPPER.createObjectNode();
        for (String name : names) {
            ObjectNode source = root.withArray("sources").addObject();
            source.put("name", name).put("dataset", "contacts").put("endpoint", api.endpoint().toString())
                    .put("page_size", 10).put("page_size_param", "limit").put("records_field", "records")
                    .put("id_field", "id").put("max_attempts", 2).put("request_timeout", "PT5S");
            source.putObject("auth").put("type", "bearer").put("secret", "secretsmanager:rawzone/pull/contacts");
            source.putObject("cursor").put("kind", "timestamp").put("field", "updated_at")
                    .put("param", "updated_since").put("lookback", "PT10M");
            source.putObject("pagination").put("style", "next_token").put("param", "page_token")
                    .put("token_field", "next_page_token").put("has_more_field", "has_more");
        }
        return PullSources.parse(root.toString(), MAPPER);
    }

    private RawZoneReader raw() {
        return new RawZoneReader(s3, RAW);
    }
}
