package dev.rawzone.core.replay.verify;

import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.KplAggregator;
import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.replay.PartLines;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.redrive.ShardRangeReader;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.validate.ClasspathSchemaSource;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisServiceClientConfiguration;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.rawzone.core.replay.verify.RawZoneSeed.MAPPER;
import static dev.rawzone.core.replay.verify.RawZoneSeed.RAW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify re-reading a Kinesis stream on the emulator: records put on a real stream (two datasets, a KPL aggregate,
 * a record sent pretty-printed, a poison record), ingested by the real KinesisIngester beside the S3 seed, then
 * damaged where a test needs it. Every test checks that verify wrote nothing to the raw bucket and called Kinesis only
 * to read.
 */
class StreamRereadTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String STREAM = "live-events";
    private static final String SHARD = "shardId-000000000000";
    private static final Set<String> READS = Set.of("GetShardIterator", "GetRecords", "DescribeStreamSummary");

    private S3Client s3;
    private KinesisClient kinesis;
    private ReadCalls calls;
    private RawZoneSeed zone;
    private List<StreamRecord> shard;
    private List<String> before;

    @BeforeEach
    void setUp() {
        AwsClients clients = new AwsClients(EMULATOR.emulator().environment());
        s3 = clients.s3();
        s3.createBucket(b -> b.bucket("verify-reports"));
        kinesis = clients.kinesis();
        calls = new ReadCalls(kinesis);
        zone = new RawZoneSeed(s3, calls).ingest();
        kinesis.createStream(c -> c.streamName(STREAM).shardCount(1));
        shard = putAndIngest(
                order("o-1"),
                customer("c-2"),
                new KplAggregator().add("pk", order("o-3.0")).add("pk", customer("c-3.1")).add("pk", order("o-3.2"))
                        .toBytes(),
                "{oops".getBytes(StandardCharsets.UTF_8),
                "{ \"type\": \"order\",\r\n  \"id\": \"o-5\", \"amount\": 7 }\n".getBytes(StandardCharsets.UTF_8),
                order("o-6"));
    }

    @Test
    void aStreamAsIngestedAgreesWithItsPartsAndIsOnlyRead() {
        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(List.of(), report.problems(), "problems");
        UnitResult live = shardUnit(report, STREAM);
        assertEquals(UnitStatus.OK, live.status(), live.detail());
        assertEquals("a re-read of 8 records of " + STREAM + " " + SHARD + " " + shard.get(0).sequenceNumber() + ".."
                + shard.get(5).sequenceNumber() + " agrees with the parts", live.detail());
        UnitResult gone = shardUnit(report, "events");
        assertEquals(UnitStatus.OK, gone.status(), gone.detail());
        assertTrue(gone.detail().endsWith("; source gone for positions 1..5 of events " + SHARD
                + " (the stream is gone): stored checks only"), gone.detail());
        assertEquals(1, calls.made.stream().filter(call -> call.startsWith("GetShardIterator " + STREAM)).count(),
                "one read for the shard's five parts: " + calls.made);
    }

    /** Parts whose ranges overlap (orders and customers interleave) are read together, the rest one read each. */
    @Test
    void aReadHoldingEnoughRecordsLeavesTheNextPartsThatDoNotOverlapToTheNextRead() {
        List<String> keys = new ArrayList<>(zone.raw.keys("raw/kinesis/"));
        keys.addAll(zone.raw.keys("quarantine/kinesis/"));
        List<ReplayItem> units = StreamReread.plan(keys.stream().filter(key -> key.contains("/" + STREAM + ".")).toList(),
                true);
        assertEquals(1, units.size(), units.toString());

        UnitResult result = new StreamReread(zone.raw, MAPPER, calls, 1).run(units.get(0));

        assertEquals(UnitStatus.OK, result.status(), result.detail());
        assertEquals(List.of("GetShardIterator " + STREAM + " from " + shard.get(0).sequenceNumber(),
                "GetShardIterator " + STREAM + " from " + shard.get(2).sequenceNumber(),
                "GetShardIterator " + STREAM + " from " + shard.get(5).sequenceNumber()),
                calls.made.stream().filter(call -> call.startsWith("GetShardIterator")).toList(),
                "orders 1..3 with customers 2..3.1, orders 3.2..5 with the poison record 4, orders 6");
    }

    @Test
    void aStoredRecordAlteredWithALineageThatAgreesDiffersOnTheReread() {
        String part = orders().get(1);
        List<String> lines = lines(part);
        lines.set(0, lines.get(0).replace("12.5", "13.5"));
        String key = replace(part, lines);

        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(UnitStatus.OK, partUnit(report, key).status(), "its lineage agrees: only the re-read can tell");
        UnitResult live = shardUnit(report, STREAM);
        assertEquals(UnitStatus.DIFFERS, live.status(), live.detail());
        String stored = lines.get(0);
        String source = new String(order("o-3.2"), StandardCharsets.UTF_8);
        assertEquals("position " + shard.get(2).sequenceNumber() + ".2, line 1 of " + part + ": stored "
                + stored.length() + " bytes (sha256 " + hash(stored) + "), the stream holds " + source.length()
                + " bytes (sha256 " + hash(source) + ")", live.detail());
        assertEquals(1, report.exitCode());
    }

    @Test
    void aRecordTheStreamHoldsInsideAPartsRangeThatNoPartHoldsIsMissing() {
        String part = orders().get(1);
        List<String> lines = lines(part);
        assertEquals(2, lines.size(), "o-3.2 and o-5: " + lines);
        replace(part, List.of(lines.get(0)));

        UnitResult live = shardUnit(verify(ReplaySelection.ALL), STREAM);

        assertEquals(UnitStatus.MISSING, live.status(), live.detail());
        assertEquals("the stream holds position " + shard.get(4).sequenceNumber() + " inside the range of " + part
                + " in no part and no quarantine entry", live.detail());
    }

    @Test
    void aSelectionOfOneDatasetDoesNotTakeTheOtherDatasetsRecordsForMissing() {
        ReplaySelection orders = new ReplaySelection(Optional.of("kinesis"), Optional.of("orders"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());

        ReplayReport report = verify(orders);

        assertEquals(List.of(), report.problems(), "problems");
        UnitResult live = shardUnit(report, STREAM);
        assertTrue(live.detail().contains("the stream holds position " + shard.get(1).sequenceNumber() + " inside "
                + "the range of " + orders().get(0) + " in no part and no quarantine entry of this selection"),
                live.detail());
    }

    @Test
    void aQuarantineEntryWhosePayloadWasAlteredDiffers() {
        String quarantine = zone.raw.keys("quarantine/kinesis/").stream().filter(key -> key.contains(STREAM))
                .findFirst().orElseThrow();
        List<String> lines = lines(quarantine);
        lines.set(0, lines.get(0).replace("\"raw\":\"{oops\"", "\"raw\":\"{oups\""));
        replace(quarantine, lines);

        UnitResult live = shardUnit(verify(ReplaySelection.ALL), STREAM);

        assertEquals(UnitStatus.DIFFERS, live.status(), live.detail());
        assertEquals("position " + shard.get(3).sequenceNumber() + " in " + quarantine + ": stored 5 bytes (sha256 "
                + hash("{oups") + "), the stream holds 5 bytes (sha256 " + hash("{oops") + ")", live.detail());
    }

    @Test
    void aDeletedStreamLeavesTheStoredChecks() {
        kinesis.deleteStream(d -> d.streamName(STREAM));

        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(List.of(), report.problems(), "problems");
        UnitResult live = shardUnit(report, STREAM);
        assertEquals(UnitStatus.OK, live.status(), live.detail());
        assertTrue(live.detail().endsWith("; source gone for positions " + shard.get(0).sequenceNumber() + ".."
                + shard.get(5).sequenceNumber() + " of " + STREAM + " " + SHARD + " (the stream is gone): stored "
                + "checks only"), live.detail());
    }

    /** The emulator keeps every record; a part claiming a position before the shard's first stands for a trim. */
    @Test
    void aPositionBeforeWhatTheStreamRetainsIsSourceGoneWithTheStreamsRetention() {
        String part = orders().get(0);
        Map<String, String> lineage = new HashMap<>(zone.raw.metadata(part).orElseThrow());
        lineage.put("position-first", "0");
        s3.copyObject(c -> c.sourceBucket(RAW).sourceKey(part).destinationBucket(RAW).destinationKey(part)
                .metadataDirective(MetadataDirective.REPLACE).metadata(lineage));

        UnitResult live = shardUnit(verify(ReplaySelection.ALL), STREAM);

        assertEquals(UnitStatus.OK, live.status(), live.detail());
        assertTrue(live.detail().endsWith("; source gone for positions 0 of " + STREAM + " " + SHARD + " (no longer in "
                + "the stream, which keeps records 24 h): stored checks only"), live.detail());
    }

    private ReplayReport verify(ReplaySelection selection) {
        before = zone.everyVersion();
        ReplayEngine engine = new ReplayEngine(zone.units(),
                new ReplayManifests(new S3ConditionalSink(s3, "verify-reports"), MAPPER));
        ReplayReport report = engine.run(selection, ReplayRun.of("verify-1", ReplayMode.VERIFY, false, "test"),
                TimeBudget.unlimited(), ReplayProgress.silent());
        assertEquals(before, zone.everyVersion(), "verify wrote to the raw bucket");
        assertTrue(READS.containsAll(calls.operations()), "Kinesis calls: " + calls.made);
        return report;
    }

    /** Puts each payload as one record, reads the shard back, and ingests it as one batch. */
    private List<StreamRecord> putAndIngest(byte[]... payloads) {
        for (byte[] payload : payloads) {
            kinesis.putRecord(p -> p.streamName(STREAM).partitionKey("pk").data(SdkBytes.fromByteArray(payload)));
        }
        String arn = kinesis.describeStreamSummary(d -> d.streamName(STREAM)).streamDescriptionSummary().streamARN();
        String iterator = kinesis.getShardIterator(g -> g.streamName(STREAM).shardId(SHARD)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        OnFailureRange all = new OnFailureRange(arn, SHARD, BigInteger.ZERO, BigInteger.TEN.pow(60));
        List<StreamRecord> records = kinesis.getRecords(g -> g.shardIterator(iterator)).records().stream()
                .map(record -> ShardRangeReader.streamRecord(all, record)).toList();
        assertEquals(payloads.length, records.size());
        KinesisIngester ingester = new KinesisIngester(zone.raw, new ShardLedgers(new InMemoryCheckpointStore()),
                new RecordClassifier(StreamRouting.parse("""
                        {"streams":[{"stream":"live-events","datasetField":"type",
                                     "datasets":{"order":"orders","customer":"customers"}}]}"""),
                        new RecordValidator(new SchemaCatalogue(new ClasspathSchemaSource("kinesis/schemas")))),
                RawZoneSeed.POLICY, MAPPER);
        assertEquals(0, ingester.ingest(records, new RunContext("test", "live")).counts().failed());
        calls.made.clear();
        return records;
    }

    /** The stream's orders parts, in position order: o-1 and o-3.0, o-3.2 and o-5, o-6. */
    private List<String> orders() {
        return zone.raw.keys("raw/kinesis/orders/").stream().filter(key -> key.contains(STREAM)).sorted().toList();
    }

    private List<String> lines(String key) {
        return new ArrayList<>(PartLines.read(zone.raw.read(key).orElseThrow()).orElseThrow().stream()
                .map(line -> new String(line, StandardCharsets.UTF_8)).toList());
    }

    /** A new version of a part holding {@code lines}, with a lineage whose hash and count agree with them. */
    private String replace(String key, List<String> lines) {
        byte[] body = RawZoneSeed.gzip(String.join("\n", lines) + "\n");
        Map<String, String> lineage = new HashMap<>(zone.raw.metadata(key).orElseThrow());
        lineage.put("content-sha256", KeyParts.sha256Hex(body));
        lineage.put("record-count", Integer.toString(lines.size()));
        s3.putObject(p -> p.bucket(RAW).key(key).metadata(lineage), RequestBody.fromBytes(body));
        return key;
    }

    private static UnitResult shardUnit(ReplayReport report, String stream) {
        return report.results().stream().filter(r -> r.item().kind().equals(StreamReread.KIND)
                        && r.item().key().startsWith(stream + ".")).findFirst()
                .orElseThrow(() -> new AssertionError("no shard unit for " + stream + " in " + report.results()));
    }

    private static UnitResult partUnit(ReplayReport report, String key) {
        return report.results().stream().filter(r -> r.item().kind().equals(VerifyUnits.PART)
                && r.item().key().equals(key)).findFirst().orElseThrow();
    }

    private static String hash(String text) {
        return KeyParts.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static byte[] order(String id) {
        return ("{\"type\":\"order\",\"id\":\"" + id + "\",\"amount\":12.5}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] customer(String id) {
        return ("{\"type\":\"customer\",\"id\":\"" + id + "\",\"name\":\"Ada\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A Kinesis client that can only read (every other call is the interface's UnsupportedOperationException), and
     * records each call with the stream it names.
     */
    private static final class ReadCalls implements KinesisClient {
        private final KinesisClient kinesis;
        final List<String> made = new ArrayList<>();

        ReadCalls(KinesisClient kinesis) {
            this.kinesis = kinesis;
        }

        Set<String> operations() {
            return Set.copyOf(made.stream().map(call -> call.split(" ")[0]).toList());
        }

        @Override
        public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
            made.add("GetShardIterator " + request.streamName() + " from " + request.startingSequenceNumber());
            return kinesis.getShardIterator(request);
        }

        @Override
        public GetRecordsResponse getRecords(GetRecordsRequest request) {
            made.add("GetRecords");
            return kinesis.getRecords(request);
        }

        @Override
        public DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest request) {
            made.add("DescribeStreamSummary " + request.streamName());
            return kinesis.describeStreamSummary(request);
        }

        @Override
        public String serviceName() {
            return kinesis.serviceName();
        }

        @Override
        public KinesisServiceClientConfiguration serviceClientConfiguration() {
            return kinesis.serviceClientConfiguration();
        }

        @Override
        public void close() {
            kinesis.close();
        }
    }
}
