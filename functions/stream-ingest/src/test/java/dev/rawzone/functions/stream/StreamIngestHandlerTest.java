package dev.rawzone.functions.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.kinesis.KinesisPartNames;
import dev.rawzone.core.write.Position;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.VerbatimRecords;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.stream.StreamFixture.SHARD;
import static dev.rawzone.functions.stream.StreamFixture.SHARD_1;
import static dev.rawzone.functions.stream.StreamFixture.aggregate;
import static dev.rawzone.functions.stream.StreamFixture.assertCounts;
import static dev.rawzone.functions.stream.StreamFixture.customer;
import static dev.rawzone.functions.stream.StreamFixture.entry;
import static dev.rawzone.functions.stream.StreamFixture.event;
import static dev.rawzone.functions.stream.StreamFixture.failures;
import static dev.rawzone.functions.stream.StreamFixture.ids;
import static dev.rawzone.functions.stream.StreamFixture.invoke;
import static dev.rawzone.functions.stream.StreamFixture.mixed;
import static dev.rawzone.functions.stream.StreamFixture.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler against the emulator's S3 and DynamoDB, on the happy path and the record-level edge cases. */
class StreamIngestHandlerTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private StreamFixture fixture;
    private StreamIngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new StreamFixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of());
    }

    @Test
    void writesEachRecordOnceWithLineageAndReturnsNoFailures() {
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 10);

        StreamsEventResponse response = handler.handleRequest(event(entries), new FakeContext("StreamIngestFunction"));

        assertEquals(List.of(), response.getBatchItemFailures());
        fixture.assertEachOnce(ids(entries));
        List<String> orders = fixture.keys("raw/kinesis/orders/schema=v1/dt=2026-11-25/");
        assertEquals(1, orders.size(), orders.toString());
        String name = orders.get(0).substring(orders.get(0).lastIndexOf('/') + 1);
        assertEquals(Position.of(StreamFixture.sequence(1), 0), KinesisPartNames.position(name));
        Map<String, String> lineage = fixture.s3.headObject(h -> h.bucket(StreamFixture.RAW).key(orders.get(0))).metadata();
        assertEquals("5", lineage.get("record-count"));
        assertEquals(StreamFixture.sequence(1), lineage.get("position-first"));
        assertEquals(StreamFixture.sequence(9), lineage.get("position-last"));
        assertEquals(StreamFixture.ARN + "/" + SHARD, lineage.get("source-identity"));
        assertEquals("https://rawzone.dev/schemas/orders/v1.json", lineage.get("schema-id"));
        assertEquals("test", lineage.get("pipeline-version"));
    }

    @Test
    void validPayloadsAreStoredAsTheBytesTheProducerSent() {
        List<String> payloads = VerbatimRecords.lines(StreamIngestHandlerTest::orderFields);
        List<StreamFixture.Entry> entries = new ArrayList<>();
        for (int n = 1; n <= payloads.size(); n++) {
            entries.add(entry(SHARD, n, payloads.get(n - 1)));
        }

        assertCounts(new Counts(payloads.size(), payloads.size(), 0, 0, 0), invoke(handler, event(entries)));

        VerbatimRecords.assertStoredVerbatim(raw(), "raw/kinesis/", payloads);
    }

    @Test
    void aPayloadSpanningLinesOrLedByAByteOrderMarkIsStoredOnOneLineWithoutThem() {
        String pretty = "{\r\n  \"tax\": 1.10,\n  " + orderFields(1) + "\n}\n";
        byte[] withBom = ("\uFEFF{\"discount\":-0.0," + orderFields(2) + "}").getBytes(StandardCharsets.UTF_8);

        invoke(handler, event(List.of(entry(SHARD, 1, pretty), entry(SHARD, 2, withBom))));

        VerbatimRecords.assertStoredVerbatim(raw(), "raw/kinesis/", List.of(
                "{  \"tax\": 1.10,  " + orderFields(1) + "}", "{\"discount\":-0.0," + orderFields(2) + "}"));
    }

    @Test
    void aSchemaInvalidPayloadIsQuarantinedWithItsOwnText() {
        String invalid = "{\"type\":\"order\", \"amount\":1e400,\"note\":\"caf\\u00e9 \uD83D\uDE00\"}";

        invoke(handler, event(List.of(entry(SHARD, 1, invalid))));

        String entry = raw().lines("quarantine/kinesis/").get(0);
        assertTrue(entry.contains("\"record\":" + invalid), entry);
    }

    @Test
    void theSameBatchDeliveredAgainIsCountedAsDuplicatesAndWritesNothing() {
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 10);
        invoke(handler, event(entries));
        int versions = fixture.objectVersions();

        StreamIngestHandler.Outcome again = invoke(handler, event(entries));

        assertCounts(new Counts(10, 0, 0, 10, 0), again);
        assertEquals(versions, fixture.objectVersions(), "no object and no new version");
        fixture.assertEachOnce(ids(entries));
    }

    @Test
    void kplAggregatedRecordsAreWrittenOncePerUserRecord() {
        List<StreamFixture.Entry> entries = List.of(entry(SHARD, 1, order(1)),
                aggregate(SHARD, 2, order(2), customer(3), order(4)), entry(SHARD, 3, customer(5)));

        StreamIngestHandler.Outcome outcome = invoke(handler, event(entries));

        assertCounts(new Counts(5, 5, 0, 0, 0), outcome);
        assertEquals(List.of("c-3", "c-5", "o-1", "o-2", "o-4"), fixture.rawIds());
        assertCounts(new Counts(5, 0, 0, 5, 0), invoke(handler, event(entries)));
    }

    @Test
    void aPoisonRecordInTheMiddleIsQuarantinedWithItsReasonAndAcknowledged() {
        List<StreamFixture.Entry> entries = new ArrayList<>(mixed(SHARD, 1, 4));
        entries.add(entry(SHARD, 5, "{\"type\":\"order\",\"order_id\":"));
        entries.add(entry(SHARD, 6, order(6).replace("\"EUR\"", "\"euro\"")));
        entries.addAll(mixed(SHARD, 7, 4));

        StreamIngestHandler.Outcome outcome = invoke(handler, event(entries));

        assertEquals(List.of(), failures(outcome), "a poison record never blocks its shard");
        assertCounts(new Counts(10, 8, 2, 0, 0), outcome);
        List<JsonNode> rejects = fixture.lines("quarantine/kinesis/");
        assertEquals(2, rejects.size());
        JsonNode broken = rejects.stream().filter(r -> r.has("raw")).findFirst().orElseThrow();
        assertEquals(StreamFixture.sequence(5), broken.get("sequence").asText());
        assertEquals(SHARD, broken.get("shard").asText());
        assertTrue(broken.get("reason").asText().startsWith("payload is not JSON"), broken.toString());
        JsonNode invalid = rejects.stream().filter(r -> r.has("record")).findFirst().orElseThrow();
        assertEquals("orders", invalid.get("dataset").asText());
        assertEquals(1, invalid.get("schema_version").asInt());
        assertTrue(invalid.get("reason").asText().contains("currency"), invalid.toString());
        assertEquals(1, fixture.keys("quarantine/kinesis/orders/dt=2026-11-25/").size());
        assertEquals(1, fixture.keys("quarantine/kinesis/unrouted/dt=2026-11-25/").size());
        List<String> expected = new ArrayList<>(ids(mixed(SHARD, 1, 4)));
        expected.addAll(ids(mixed(SHARD, 7, 4)));
        fixture.assertEachOnce(expected);
    }

    @Test
    void recordsOfTwoShardsInOneBatchSettleAgainstTheirOwnLedgers() {
        List<StreamFixture.Entry> a = mixed(SHARD, 1, 6);
        List<StreamFixture.Entry> b = mixed(SHARD_1, 1, 6);
        List<StreamFixture.Entry> both = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            both.add(a.get(i));
            both.add(b.get(i));
        }

        StreamIngestHandler.Outcome outcome = invoke(handler, event(both));

        assertCounts(new Counts(12, 12, 0, 0, 0), outcome);
        assertEquals(2, outcome.result().shards().size());
        assertEquals(4, fixture.keys("raw/kinesis/").size(), "a part per dataset per shard");
        // Same sequence numbers, different shards: different records, different keys.
        assertEquals(12, fixture.lines("raw/").size());
        assertEquals(2, fixture.ledger(StreamFixture.ARN, SHARD_1).version(), "pinned, then advanced once");
    }

    /** Same stream name, shard id and sequence numbers, other account and region: other records. */
    @Test
    void twoStreamsWithTheSameShardAndSequenceNumbersInOneBatchAreEachWrittenOnceUnderTheirOwnKeys() {
        ObjectNode both = StreamFixture.eventJson(StreamFixture.ARN, mixed(SHARD, 1, 6));
        ((ArrayNode) both.get("Records")).addAll(
                (ArrayNode) StreamFixture.eventJson(StreamFixture.OTHER_ARN, mixed(SHARD, 1, 6)).get("Records"));

        StreamIngestHandler.Outcome outcome = invoke(handler, event(both));

        assertCounts(new Counts(12, 12, 0, 0, 0), outcome);
        assertEquals(partKeys(StreamFixture.ARN, StreamFixture.OTHER_ARN), fixture.keys("raw/"));
        assertEachStreamsLedgerIsItsOwn();
    }

    @Test
    void twoStreamsWithTheSameShardAndSequenceNumbersInSeparateBatchesAreEachWrittenOnce() {
        StreamIngestHandler.Outcome first = invoke(handler, event(StreamFixture.ARN, mixed(SHARD, 1, 6)));
        StreamIngestHandler.Outcome second = invoke(handler, event(StreamFixture.OTHER_ARN, mixed(SHARD, 1, 6)));
        StreamIngestHandler.Outcome again = invoke(handler, event(StreamFixture.OTHER_ARN, mixed(SHARD, 1, 6)));

        assertCounts(new Counts(6, 6, 0, 0, 0), first);
        assertCounts(new Counts(6, 6, 0, 0, 0), second);
        assertCounts(new Counts(6, 0, 0, 6, 0), again);
        assertEquals(partKeys(StreamFixture.ARN, StreamFixture.OTHER_ARN), fixture.keys("raw/"));
        assertEachStreamsLedgerIsItsOwn();
    }

    /** Each stream's orders part (first record 1) and customers part (first record 2). */
    private static List<String> partKeys(String... arns) {
        List<String> keys = new ArrayList<>();
        for (String arn : arns) {
            keys.add("raw/kinesis/orders/schema=v1/dt=2026-11-25/"
                    + KinesisPartNames.name(arn, SHARD, Position.of(StreamFixture.sequence(1), 0)));
            keys.add("raw/kinesis/customers/schema=v1/dt=2026-11-25/"
                    + KinesisPartNames.name(arn, SHARD, Position.of(StreamFixture.sequence(2), 0)));
        }
        assertEquals(4, keys.stream().distinct().count(), keys.toString());
        return keys.stream().sorted().toList();
    }

    private void assertEachStreamsLedgerIsItsOwn() {
        for (String arn : List.of(StreamFixture.ARN, StreamFixture.OTHER_ARN)) {
            Checkpoint ledger = fixture.ledger(arn, SHARD);
            assertEquals(StreamFixture.sequence(6), ledger.state().get("through"), arn);
        }
        assertEquals(12, fixture.lines("raw/").size());
    }

    @Test
    void duplicateSequenceNumbersInOneBatchAreWrittenOnce() {
        List<StreamFixture.Entry> entries = new ArrayList<>(mixed(SHARD, 1, 5));
        entries.add(3, entries.get(2));
        entries.add(entries.get(0));

        StreamIngestHandler.Outcome outcome = invoke(handler, event(entries));

        assertCounts(new Counts(7, 5, 0, 2, 0), outcome);
        fixture.assertEachOnce(ids(mixed(SHARD, 1, 5)));
    }

    @Test
    void integerAndFloatArrivalTimestampsBothGiveTheRecordsDate() {
        List<StreamFixture.Entry> entries = List.of(
                new StreamFixture.Entry(SHARD, new java.math.BigInteger(StreamFixture.sequence(1)), "pk",
                        order(1).getBytes(StandardCharsets.UTF_8), 1_795_651_199.999d), // 2026-11-25T23:59:59.999Z
                new StreamFixture.Entry(SHARD_1, new java.math.BigInteger(StreamFixture.sequence(1)), "pk",
                        order(2).getBytes(StandardCharsets.UTF_8), 1_795_651_200L)); // 2026-11-26T00:00:00Z

        KinesisEvent event = event(entries);
        invoke(handler, event);

        assertEquals(1_795_651_199_999L, event.getRecords().get(0).getKinesis().getApproximateArrivalTimestamp().getTime());
        assertEquals(1, fixture.keys("raw/kinesis/orders/schema=v1/dt=2026-11-25/").size());
        assertEquals(1, fixture.keys("raw/kinesis/orders/schema=v1/dt=2026-11-26/").size());
    }

    @Test
    void anEmptyBatchReturnsNoFailuresAndTouchesNothing() {
        KinesisEvent empty = event(List.of());
        KinesisEvent none = new KinesisEvent();

        assertCounts(Counts.ZERO, invoke(handler, empty));
        assertCounts(Counts.ZERO, invoke(handler, none));
        assertEquals(List.of(), fixture.keys(""));
    }

    @Test
    void aRecordWithoutAShardInItsEventIdIsAMalformedEvent() {
        ObjectNode json = StreamFixture.eventJson(mixed(SHARD, 1, 1));
        ((ObjectNode) json.get("Records").get(0)).put("eventID", "no-colon");

        MalformedEventException e = assertThrows(MalformedEventException.class, () -> handler.plan(
                new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("Records[0].eventID"), e.getMessage());
    }

    @Test
    void theDryRunListsEachUserRecordsIdentityAndWhatWouldHappenWithoutTouchingStorage() {
        List<StreamFixture.Entry> entries = List.of(entry(SHARD, 1, order(1)),
                aggregate(SHARD, 2, customer(2), "nope"), entry(SHARD, 1, order(1)));
        byte[] json = StreamFixture.eventJson(entries).toString().getBytes(StandardCharsets.UTF_8);

        List<ObjectNode> plan = handler.plan(new ByteArrayInputStream(json));

        assertEquals(4, plan.size());
        assertEquals("ingest", plan.get(0).get("action").asText());
        assertEquals("orders", plan.get(0).get("dataset").asText());
        assertEquals(1, plan.get(0).get("schemaVersion").asInt());
        assertEquals(StreamFixture.sequence(2), plan.get(1).get("sequenceNumber").asText());
        assertEquals(0, plan.get(1).get("subSequenceNumber").asInt());
        assertEquals("customers", plan.get(1).get("dataset").asText());
        assertEquals(1, plan.get(2).get("subSequenceNumber").asInt());
        assertEquals("quarantine", plan.get(2).get("action").asText());
        assertEquals("skip", plan.get(3).get("action").asText());
        assertEquals(List.of(), fixture.keys(""));
    }

    private RawZoneReader raw() {
        return new RawZoneReader(fixture.s3, StreamFixture.RAW);
    }

    private static String orderFields(int i) {
        return "\"type\":\"order\",\"order_id\":\"o-" + i + "\",\"customer_id\":\"c-1\",\"amount\":1.5,"
                + "\"currency\":\"EUR\",\"created_at\":\"2026-11-25T10:00:00Z\"";
    }
}
