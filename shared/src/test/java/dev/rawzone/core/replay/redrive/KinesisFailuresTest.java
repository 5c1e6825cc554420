package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.kinesis.BatchResult;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.KplAggregator;
import dev.rawzone.core.kinesis.LedgerState;
import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.validate.ClasspathSchemaSource;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSource;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PutOutcome;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.RawZoneReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kinesis on-failure queue drained against the emulator: records put on a stream, ingested by the real
 * KinesisIngester with a range that fails and is given up, its on-failure message on an SQS queue, then
 * {@link RedriveUnits} with {@link KinesisFailures}.
 */
class KinesisFailuresTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String STREAM = "events";
    private static final String BUCKET = "redrive-kinesis-raw";
    private static final String SHARD = "shardId-000000000000";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaSource SCHEMAS = new ClasspathSchemaSource("kinesis/schemas");
    private static final StreamRouting ROUTING = StreamRouting.parse("""
            {"streams":[{"stream":"events","datasetField":"type","datasets":{"order":"orders","customer":"customers"}}]}""");

    private KinesisClient kinesis;
    private SqsClient sqs;
    private RawZoneReader rawZone;
    private FaultySink sink;
    private FaultyStore store;
    private KinesisIngester ingester;
    private String queueUrl;
    private String arn;
    private int runs;

    @BeforeEach
    void setUp() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        kinesis = clients.kinesis();
        sqs = clients.sqs();
        S3Client s3 = clients.s3();
        DynamoDbClient dynamoDb = clients.dynamoDb();
        s3.createBucket(b -> b.bucket(BUCKET));
        dynamoDb.createTable(t -> t.tableName("ledgers").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        kinesis.createStream(c -> c.streamName(STREAM).shardCount(1));
        arn = kinesis.describeStreamSummary(d -> d.streamName(STREAM)).streamDescriptionSummary().streamARN();
        queueUrl = sqs.createQueue(q -> q.queueName("stream-on-failure")).queueUrl();
        rawZone = new RawZoneReader(s3, BUCKET);
        sink = new FaultySink(new S3ConditionalSink(s3, BUCKET));
        store = new FaultyStore(new DynamoDbCheckpointStore(clients.dynamoDbJson(), "ledgers"));
        ingester = ingester(SCHEMAS);
    }

    private KinesisIngester ingester(SchemaSource schemas) {
        return new KinesisIngester(sink, new ShardLedgers(store), new RecordClassifier(ROUTING,
                new RecordValidator(new SchemaCatalogue(schemas))), PartPolicy.defaults(), MAPPER);
    }

    /** The test's schemas with an orders v2 published (v1 as it was, under its own id). */
    private static final class WithOrdersV2 implements SchemaSource {
        @Override
        public Optional<String> read(String dataset, int version) {
            return dataset.equals("orders") && version == 2
                    ? SCHEMAS.read(dataset, 1).map(v1 -> v1.replace("/orders/v1.json", "/orders/v2.json"))
                    : SCHEMAS.read(dataset, version);
        }

        @Override
        public List<Integer> versions(String dataset) {
            return dataset.equals("orders") ? List.of(1, 2) : SCHEMAS.versions(dataset);
        }
    }

    /**
     * Records 1..10 (4 a KPL aggregate of three, 6 a poison record); 4..7 fail until the mapping gives them up and
     * delivers 8..10, which leaves 4..7 open in the ledger. The redrive writes them once and settles the ledger.
     */
    @Test
    void aGivenUpRangeIsReDrivenOnceAndSettledInTheLedger() {
        List<StreamRecord> shard = putTen();
        live(shard.subList(0, 3));
        sink.failPuts(key -> true);
        assertEquals(List.of(shard.get(3).sequenceNumber()), live(shard.subList(3, 7)).failedSequenceNumbers());
        sink.failPuts(key -> false);
        live(shard.subList(7, 10));
        assertEquals(1, ledger().holes().size(), "4..7 wait for their re-drive: " + ledger());
        send(shard.get(3), shard.get(6));

        UnitResult result = drain(false);

        assertEquals(UnitStatus.DONE, result.status(), result.detail());
        assertEquals(new Counts(6, 5, 1, 0, 0), result.counts(), "4 (three user records), 5, 7 written, 6 quarantined");
        assertEquals(expectedIds(), rawIds(), "each valid record once");
        assertEquals(1, rawZone.lines("quarantine/").size(), "the poison record quarantined once");
        assertEquals(0, depth(), "the message is deleted");
        assertEquals(List.of(), ledger().holes(), "the ledger no longer holds the range open");
        assertEquals(List.of(), ledger().failedFroms());

        BatchResult rewind = live(shard);
        assertEquals(new Counts(12, 0, 0, 12, 0), rewind.counts(), "a later live delivery finds it all settled");
    }

    @Test
    void aSecondCopyOfTheMessageWritesNothing() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        send(shard.get(3), shard.get(6));
        drain(false);
        List<String> keys = rawZone.keys("");
        int created = sink.created;

        send(shard.get(3), shard.get(6));
        UnitResult again = drain(false);

        assertEquals(UnitStatus.DONE, again.status(), again.detail());
        assertEquals(0, again.counts().written() + again.counts().quarantined(), again.counts().toString());
        assertEquals(created, sink.created, "no object created");
        assertEquals(keys, rawZone.keys(""));
        assertEquals(0, depth());
    }

    /**
     * The limit the redrive closes: every attempt of 4..7 fails before even its ledger pin is written, so the ledger
     * knows nothing of it, and the batch after it is taken as contiguous. Before the fix its re-drive counted the
     * range as duplicates and deleted the message: 4..7 were lost.
     */
    @Test
    void aRangeWhoseLedgerPinCouldNotBeWrittenIsOpenedByItsReDrive() {
        List<StreamRecord> shard = putTen();
        live(shard.subList(0, 3));
        store.failAdvances = true;
        assertTrue(live(shard.subList(3, 7)).shards().get(0).failure().orElse("").startsWith("ledger not pinned"));
        store.failAdvances = false;
        live(shard.subList(7, 10));
        assertEquals(List.of(), ledger().holes(), "the ledger took 4..7 as settled");
        send(shard.get(3), shard.get(6));

        UnitResult result = drain(false);

        assertEquals(new Counts(6, 5, 1, 0, 0), result.counts(), result.detail());
        assertEquals(expectedIds(), rawIds());
        assertEquals(List.of(), ledger().holes());
        assertEquals(0, depth());
    }

    /** The range starts before the oldest record the stream holds (sequence 0; moto numbers from 1): trimmed. */
    @Test
    void aTrimmedStartIsReportedLostWithItsExactRangeAndTheRestIsReDriven() throws IOException {
        List<StreamRecord> shard = putTen();
        sink.failPuts(key -> true);
        live(shard.subList(0, 3));
        sink.failPuts(key -> false);
        live(shard.subList(3, 10));
        sendRange("0", shard.get(2).sequenceNumber());

        UnitResult result = drain(false);

        assertEquals(UnitStatus.LOST, result.status(), result.detail());
        assertTrue(result.detail().contains("stream events shard " + SHARD + " sequence numbers 0 "), result.detail());
        assertEquals(new Counts(3, 3, 0, 0, 0), result.counts(), "1..3 are still there, re-driven");
        assertEquals(expectedIds(), rawIds());
        String markerKey = KinesisFailures.lostMarker(new OnFailureRange(arn, SHARD, BigInteger.ZERO,
                new BigInteger(shard.get(2).sequenceNumber())));
        assertTrue(markerKey.startsWith("manifests/replay/lost/kinesis/events."), markerKey);
        JsonNode marker = MAPPER.readTree(rawZone.bytes(markerKey));
        assertEquals("0", marker.get("lost").get(0).get("first_sequence_number").asText());
        assertEquals("0", marker.get("lost").get(0).get("last_sequence_number").asText());
        assertEquals(3, marker.get("records_re_read").asInt());
        assertEquals(0, depth(), "deleted once the loss is on record");
        assertEquals(List.of(), ledger().holes());
    }

    @Test
    void aRangeOfADeletedStreamIsLostWholeWithAMarkerAndLeavesTheLedger() throws IOException {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        kinesis.deleteStream(d -> d.streamName(STREAM));
        send(shard.get(3), shard.get(6));

        UnitResult result = drain(false);

        assertEquals(UnitStatus.LOST, result.status(), result.detail());
        String range = shard.get(3).sequenceNumber() + ".." + shard.get(6).sequenceNumber();
        assertTrue(result.detail().contains("sequence numbers " + range), result.detail());
        JsonNode marker = MAPPER.readTree(rawZone.bytes(KinesisFailures.lostMarker(new OnFailureRange(arn, SHARD,
                new BigInteger(shard.get(3).sequenceNumber()), new BigInteger(shard.get(6).sequenceNumber())))));
        assertEquals(shard.get(6).sequenceNumber(), marker.get("lost").get(0).get("last_sequence_number").asText());
        assertTrue(marker.get("reason").asText().startsWith("the stream is gone"), marker.toString());
        assertEquals(0, depth());
        assertEquals(List.of(), ledger().holes(), "nothing left to wait for");
    }

    /**
     * A second copy of the message after orders v2 is published: before, the ledger no longer held the range (the
     * first copy settled it), so the copy decided its orders again under v2 and wrote them a second time.
     */
    @Test
    void aSecondCopyAfterANewSchemaVersionIsSettledFromTheRedrivenMarker() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        send(shard.get(3), shard.get(6));
        drain(false);
        int created = sink.created;
        ingester = ingester(new WithOrdersV2());

        send(shard.get(3), shard.get(6));
        UnitResult again = drain(false);

        assertEquals(UnitStatus.DONE, again.status(), again.detail());
        assertEquals(new Counts(6, 0, 0, 6, 0), again.counts(), "every user record of the range already there");
        assertEquals(List.of(), rawZone.keys("raw/kinesis/orders/schema=v2/"));
        assertEquals(created, sink.created);
        assertEquals(expectedIds(), rawIds());
        assertEquals(0, depth());
    }

    /**
     * A live rewind settles the given-up range (its parts under orders v1), then orders v2 is published and the
     * message re-driven: the ledger holds no record of the range, so it cannot say which configuration decided it.
     * Before, the redrive wrote its orders again under v2; now it is refused with the parts found.
     */
    @Test
    void aRangeSettledByALiveRewindIsNotDecidedAgainUnderANewSchemaVersion() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        live(shard);
        int created = sink.created;
        ingester = ingester(new WithOrdersV2());
        send(shard.get(3), shard.get(6));

        UnitResult result = drainWithVisibility(false, Duration.ZERO);

        assertEquals(UnitStatus.FAILED, result.status(), result.detail());
        assertTrue(result.detail().contains("holds no record of events " + SHARD), result.detail());
        assertTrue(result.detail().contains("raw/kinesis/orders/schema=v1/"), result.detail());
        assertEquals(List.of(), rawZone.keys("raw/kinesis/orders/schema=v2/"));
        assertEquals(created, sink.created, "nothing written");
        assertEquals(expectedIds(), rawIds());
        assertEquals(1, depth(), "the message stays, for a person to look at");
    }

    /**
     * Kinesis answers ResourceNotFoundException from a region that does not hold the stream, as for a deleted one:
     * before, the range was reported lost and its message deleted; now the stream is confirmed gone first.
     */
    @Test
    void aShardNotFoundFromAnotherRegionIsKeptNotReportedLost() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        send(shard.get(3), shard.get(6));
        Map<String, String> elsewhere = new HashMap<>(EMULATOR.emulator().environment());
        elsewhere.put("AWS_REGION", "eu-west-1");

        UnitResult result;
        try (KinesisClient otherRegion = new AwsClients(elsewhere).kinesis()) {
            result = drainWith(otherRegion, false, Duration.ZERO);
        }

        assertEquals(UnitStatus.FAILED, result.status(), result.detail());
        assertTrue(result.detail().contains("this redrive reads Kinesis in eu-west-1 and the stream is in us-east-1"),
                result.detail());
        assertEquals(List.of(), rawZone.keys("manifests/replay/lost/"), "no loss on record");
        assertEquals(1, ledger().holes().size(), "still open in the ledger");
        assertEquals(1, depth(), "the message stays");
    }

    /** Before, both markers had the key of their common start: the second range's loss was never on record. */
    @Test
    void twoLostRangesFromOneStartKeepAMarkerEachAndARerunWritesNeither() throws IOException {
        List<StreamRecord> shard = putTen();
        kinesis.deleteStream(d -> d.streamName(STREAM));
        send(shard.get(3), shard.get(6));
        send(shard.get(3), shard.get(9));

        UnitResult result = drain(false);
        int created = sink.created;
        send(shard.get(3), shard.get(9));
        UnitResult again = drain(false);

        assertEquals(UnitStatus.LOST, result.status(), result.detail());
        for (int last : List.of(6, 9)) {
            String key = KinesisFailures.lostMarker(new OnFailureRange(arn, SHARD,
                    new BigInteger(shard.get(3).sequenceNumber()), new BigInteger(shard.get(last).sequenceNumber())));
            JsonNode marker = MAPPER.readTree(rawZone.bytes(key));
            assertEquals(shard.get(last).sequenceNumber(), marker.get("end_sequence_number").asText(), key);
        }
        assertEquals(2, rawZone.keys("manifests/replay/lost/").size());
        assertEquals(UnitStatus.LOST, again.status(), "a copy is reported again, with the same marker");
        assertEquals(created, sink.created, "the copy writes no marker");
        assertEquals(0, depth());
    }

    @Test
    void aDryRunSaysWhatItWouldReReadAndTouchesNothing() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        LedgerState before = ledger();
        List<String> keys = rawZone.keys("");
        send(shard.get(3), shard.get(6));

        UnitResult result = drain(true);

        assertEquals(UnitStatus.PLANNED, result.status());
        assertTrue(result.detail().contains("4 records (6 user records)"), result.detail());
        assertEquals(keys, rawZone.keys(""));
        assertEquals(before, ledger());
        assertEquals(1, depth(), "the message stays");
    }

    @Test
    void aRangeThatCannotBeWrittenNowIsKeptAndSettlesOnTheNextRedrive() {
        List<StreamRecord> shard = putTen();
        giveUpTheMiddleBatch(shard);
        send(shard.get(3), shard.get(6));

        sink.failPuts(key -> true);
        UnitResult failed = drainWithVisibility(false, Duration.ZERO);
        sink.failPuts(key -> false);
        UnitResult settled = drainWithVisibility(false, Duration.ZERO);

        assertEquals(UnitStatus.FAILED, failed.status(), failed.detail());
        assertTrue(failed.detail().contains("kept for the next redrive"), failed.detail());
        assertEquals(UnitStatus.DONE, settled.status(), settled.detail());
        assertEquals(expectedIds(), rawIds());
        assertEquals(0, depth());
    }

    // --- the stream, the live path and the queue ---

    /** 1..3 plain, 4 an aggregate of three, 5 plain, 6 poison, 7..10 plain. */
    /** Records 1-3 settle, 4-7 fail every write and are given up (the mapping moves on), 8-10 settle after them. */
    private void giveUpTheMiddleBatch(List<StreamRecord> shard) {
        live(shard.subList(0, 3));
        sink.failPuts(key -> true);
        live(shard.subList(3, 7));
        sink.failPuts(key -> false);
        live(shard.subList(7, 10));
    }

    private List<StreamRecord> putTen() {
        for (int i = 1; i <= 10; i++) {
            byte[] data = i == 4
                    ? new KplAggregator().add("pk", order("o-4.0")).add("pk", customer("c-4.1")).add("pk", order("o-4.2")).toBytes()
                    : i == 6 ? "{not json".getBytes(StandardCharsets.UTF_8)
                    : i % 2 == 1 ? order("o-" + i) : customer("c-" + i);
            kinesis.putRecord(p -> p.streamName(STREAM).partitionKey("pk").data(SdkBytes.fromByteArray(data)));
        }
        String iterator = kinesis.getShardIterator(g -> g.streamName(STREAM).shardId(SHARD)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        OnFailureRange all = new OnFailureRange(arn, SHARD, BigInteger.ZERO, BigInteger.TEN.pow(60));
        List<StreamRecord> records = new ArrayList<>();
        for (Record record : kinesis.getRecords(g -> g.shardIterator(iterator)).records()) {
            records.add(ShardRangeReader.streamRecord(all, record));
        }
        assertEquals(10, records.size());
        return records;
    }

    private static List<String> expectedIds() {
        return List.of("c-10", "c-2", "c-4.1", "c-8", "o-1", "o-3", "o-4.0", "o-4.2", "o-5", "o-7", "o-9");
    }

    private BatchResult live(List<StreamRecord> batch) {
        return ingester.ingest(batch, new RunContext("test", "live-" + ++runs));
    }

    private void send(StreamRecord first, StreamRecord last) {
        sendRange(first.sequenceNumber(), last.sequenceNumber());
    }

    /** The message the event source mapping sends, as documented (metadata only). */
    private void sendRange(String first, String last) {
        String body = """
                {"requestContext":{"requestId":"c9b8fa9f-5a7f-4b3e-8c1a-7e6f1d2a3b4c",
                 "functionArn":"arn:aws:lambda:us-east-1:123456789012:function:stream-ingest",
                 "condition":"RetryAttemptsExhausted","approximateInvokeCount":4},
                 "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
                 "version":"1.0","timestamp":"2026-11-25T10:05:00.000Z",
                 "KinesisBatchInfo":{"shardId":"%s","startSequenceNumber":"%s","endSequenceNumber":"%s",
                 "approximateArrivalOfFirstRecord":"2026-11-25T10:00:00.000Z",
                 "approximateArrivalOfLastRecord":"2026-11-25T10:00:01.000Z","batchSize":4,"streamArn":"%s"}}"""
                .formatted(SHARD, first, last, arn);
        sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
    }

    private UnitResult drain(boolean dryRun) {
        return drainWithVisibility(dryRun, Duration.ofSeconds(30));
    }

    private UnitResult drainWithVisibility(boolean dryRun, Duration visibility) {
        return drainWith(kinesis, dryRun, visibility);
    }

    private UnitResult drainWith(KinesisClient stream, boolean dryRun, Duration visibility) {
        KinesisFailures failures = new KinesisFailures(stream, ingester, new ShardLedgers(store), sink, MAPPER);
        RedriveUnits units = new RedriveUnits(Map.of("kinesis", new RedriveUnits.Destination(
                new FailureQueue(sqs, queueUrl, visibility), failures)), null, () -> true);
        List<ReplayItem> items = units.plan(ReplaySelection.ALL);
        assertEquals(1, items.size());
        UnitResult result = units.run(items.get(0), ReplayRun.of("redrive-" + ++runs, ReplayMode.REDRIVE, dryRun, "test"));
        System.out.println(result.status() + " " + result.detail());
        return result;
    }

    private int depth() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages().size();
    }

    private LedgerState ledger() {
        return LedgerState.fromMap(store.get(ShardLedgers.key(arn, SHARD)).state());
    }

    private List<String> rawIds() {
        List<String> ids = new ArrayList<>();
        for (String line : rawZone.lines("raw/")) {
            try {
                ids.add(MAPPER.readTree(line).get("id").asText());
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }
        return ids.stream().sorted().toList();
    }

    private static byte[] order(String id) {
        return ("{\"type\":\"order\",\"id\":\"" + id + "\",\"amount\":12.5}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] customer(String id) {
        return ("{\"type\":\"customer\",\"id\":\"" + id + "\",\"name\":\"Ada\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The raw bucket, with puts that fail (a 503) while told to, and a count of objects created. */
    private static final class FaultySink extends ForwardingSink {
        private Predicate<String> failing = key -> false;
        int created;

        FaultySink(ConditionalSink delegate) {
            super(delegate);
        }

        void failPuts(Predicate<String> keys) {
            failing = keys;
        }

        @Override
        public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
            if (failing.test(key)) {
                throw new IllegalStateException("503 SlowDown " + key);
            }
            PutOutcome outcome = super.putIfAbsent(key, body, metadata);
            created += outcome == PutOutcome.CREATED ? 1 : 0;
            return outcome;
        }
    }

    /** The ledger table, whose writes fail (DynamoDB unwritable) while told to. */
    private static final class FaultyStore implements CheckpointStore {
        private final CheckpointStore delegate;
        boolean failAdvances;

        FaultyStore(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Checkpoint get(String key) {
            return delegate.get(key);
        }

        @Override
        public Checkpoint advance(Checkpoint current, Map<String, String> next) {
            if (failAdvances) {
                throw new IllegalStateException("DynamoDB 500");
            }
            return delegate.advance(current, next);
        }
    }
}
