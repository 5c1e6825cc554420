package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.rawzone.core.kinesis.KinesisFixture.SHARD;
import static dev.rawzone.core.kinesis.KinesisFixture.aggregate;
import static dev.rawzone.core.kinesis.KinesisFixture.customer;
import static dev.rawzone.core.kinesis.KinesisFixture.mixed;
import static dev.rawzone.core.kinesis.KinesisFixture.order;
import static dev.rawzone.core.kinesis.KinesisFixture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisIngesterTest {
    private final KinesisFixture fixture = new KinesisFixture();

    @Test
    void writesEachDatasetsRecordsAsOnePartAndAdvancesTheLedgerOnce() {
        BatchResult result = fixture.ingest(mixed(SHARD, 1, 20));

        assertEquals(new Counts(20, 20, 0, 0, 0), result.counts());
        assertEquals(List.of(), result.failedSequenceNumbers());
        assertEquals(2, fixture.keys("raw/kinesis/").size(), fixture.keys("raw/").toString());
        assertTrue(fixture.keys("raw/kinesis/orders/schema=v1/dt=2026-11-25/"
                + KinesisPartNames.folder(KinesisFixture.ARN) + "/shardId-000000000000-").size() == 1);
        assertEquals(20, fixture.rawIds().stream().distinct().count());
        assertEquals(2, fixture.sink.puts.get());
        assertEquals(1, fixture.store.gets.get());
        assertEquals(2, fixture.store.advances.get(), "pinned before the parts are written, advanced after");
        assertEquals(Optional.of(Position.of(20)), fixture.store.ledger(SHARD).through());
        assertEquals(0, fixture.sink.lists.get(), "no listing on the common path");
    }

    @Test
    void aRedeliveredBatchIsSkippedFromTheLedgerWithoutAnyS3Call() {
        fixture.ingest(mixed(SHARD, 1, 20));
        int puts = fixture.sink.puts.get();
        int advances = fixture.store.advances.get();

        BatchResult again = fixture.ingest(mixed(SHARD, 1, 20));

        assertEquals(new Counts(20, 0, 0, 20, 0), again.counts());
        assertEquals(puts, fixture.sink.puts.get());
        assertEquals(0, fixture.sink.heads.get());
        assertEquals(advances, fixture.store.advances.get(), "nothing to pin, nothing grew: no ledger write");
    }

    @Test
    void anEmptyBatchDoesNothing() {
        BatchResult result = fixture.ingest(List.of());

        assertEquals(Counts.ZERO, result.counts());
        assertEquals(0, fixture.store.gets.get());
    }

    @Test
    void aPoisonRecordIsQuarantinedWithItsReasonAndNeverBlocksTheShard() {
        List<StreamRecord> batch = new ArrayList<>(mixed(SHARD, 1, 4));
        batch.add(record(SHARD, 5, "{not json"));
        batch.add(record(SHARD, 6, "{\"type\":\"order\",\"id\":\"o-6\"}")); // no amount
        batch.add(new StreamRecord(KinesisFixture.ARN, SHARD, "7", "pk", new byte[] {(byte) 0xff, 0, 1},
                KinesisFixture.ARRIVAL));
        batch.add(record(SHARD, 8, "{\"type\":\"refund\",\"id\":\"r-8\"}"));
        batch.addAll(mixed(SHARD, 9, 4));

        BatchResult result = fixture.ingest(batch);

        assertEquals(new Counts(12, 8, 4, 0, 0), result.counts());
        assertEquals(List.of(), result.failedSequenceNumbers());
        List<JsonNode> rejects = fixture.quarantined();
        assertEquals(4, rejects.size());
        JsonNode notJson = rejects.stream().filter(r -> r.get("sequence").asText().equals("5")).findFirst().orElseThrow();
        assertEquals("{not json", notJson.get("raw").asText());
        assertTrue(notJson.get("reason").asText().startsWith("payload is not JSON"), notJson.toString());
        assertEquals("unrouted", notJson.get("dataset").asText(), "a field-routed stream cannot route unreadable data");
        JsonNode invalid = rejects.stream().filter(r -> r.get("sequence").asText().equals("6")).findFirst().orElseThrow();
        assertEquals("orders", invalid.get("dataset").asText());
        assertEquals(1, invalid.get("schema_version").asInt());
        assertTrue(invalid.get("reason").asText().contains("amount"), invalid.toString());
        assertEquals("o-6", invalid.get("record").get("id").asText());
        JsonNode binary = rejects.stream().filter(r -> r.get("sequence").asText().equals("7")).findFirst().orElseThrow();
        assertEquals("/wAB", binary.get("raw_base64").asText());
        assertTrue(fixture.keys("quarantine/kinesis/unrouted/dt=2026-11-25/").size() == 1);
        assertEquals(Optional.of(Position.of(12)), fixture.store.ledger(SHARD).through());
    }

    @Test
    void aRecordDeliveredTwiceInOneBatchIsWrittenOnce() {
        List<StreamRecord> batch = new ArrayList<>(mixed(SHARD, 1, 5));
        batch.add(2, batch.get(2));
        batch.add(batch.get(4));

        BatchResult result = fixture.ingest(batch);

        assertEquals(new Counts(7, 5, 0, 2, 0), result.counts());
        assertEquals(5, fixture.rawIds().size());
    }

    @Test
    void kplAggregatedRecordsAreDeaggregatedEachWithItsSubSequenceIdentity() {
        List<StreamRecord> batch = List.of(
                record(SHARD, 1, order("o-1")),
                aggregate(SHARD, 2, order("o-2.0"), customer("c-2.1"), "garbage", order("o-2.3")),
                record(SHARD, 3, order("o-3")));

        BatchResult result = fixture.ingest(batch);

        assertEquals(new Counts(6, 5, 1, 0, 0), result.counts());
        assertEquals(List.of("c-2.1", "o-1", "o-2.0", "o-2.3", "o-3"), fixture.rawIds());
        JsonNode garbage = fixture.quarantined().get(0);
        assertEquals("2", garbage.get("sequence").asText());
        assertEquals(2, garbage.get("sub_sequence").asInt());
        assertEquals(Optional.of(Position.of(3)), fixture.store.ledger(SHARD).through());
    }

    @Test
    void aMalformedAggregateIsQuarantinedWhole() {
        byte[] body = {0x1a, 0x05, 0x08, 0x00};
        byte[] broken = KplAggregateTest.frame(body);

        BatchResult result = fixture.ingest(List.of(new StreamRecord(KinesisFixture.ARN, SHARD, "1", "pk", broken,
                KinesisFixture.ARRIVAL)));

        assertEquals(new Counts(1, 0, 1, 0, 0), result.counts());
        assertTrue(fixture.quarantined().get(0).get("reason").asText().contains("KPL aggregate"));
    }

    /** One dataset's put fails: the first record of that dataset is reported, the other dataset's part stays. */
    @Test
    void aFailedPutReportsTheFirstUnsettledRecordAndTheRetryWritesOnlyWhatIsMissing() {
        fixture.sink.fail(key -> key.contains("/customers/"), 1, false, false);

        BatchResult first = fixture.ingest(mixed(SHARD, 1, 10));

        assertEquals(List.of("2"), first.failedSequenceNumbers(), "record 2 is the first customer");
        assertEquals(new Counts(10, 5, 0, 0, 5), first.counts());
        LedgerState ledger = fixture.store.ledger(SHARD);
        assertEquals(Optional.of(Position.of(1)), ledger.through());
        assertEquals(Position.of(9), ledger.coverage().get("data/orders/v1"), "orders beyond the failure are durable");

        int puts = fixture.sink.puts.get();
        BatchResult retry = fixture.ingest(mixed(SHARD, 2, 9));

        assertEquals(new Counts(9, 5, 0, 4, 0), retry.counts());
        assertEquals(puts + 1, fixture.sink.puts.get(), "only the customers part is put again");
        assertEquals(0, fixture.sink.heads.get(), "the ledger knew; no HEAD needed");
        assertEachOnce(10);
    }

    @Test
    void aCrashAfterTheWriteBeforeTheLedgerThenARetryWithASmallerBatchWritesNothingTwice() {
        fixture.store.failAdvancesAfter(1, 1, true);
        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(mixed(SHARD, 1, 10)));
        assertEquals(Optional.empty(), fixture.store.ledger(SHARD).through());

        BatchResult small = fixture.ingest(mixed(SHARD, 1, 3));
        BatchResult rest = fixture.ingest(mixed(SHARD, 4, 7));

        assertEquals(new Counts(3, 0, 0, 3, 0), small.counts());
        assertEquals(new Counts(7, 0, 0, 7, 0), rest.counts());
        assertEachOnce(10);
        assertEquals(Optional.of(Position.of(10)), fixture.store.ledger(SHARD).through());
    }

    /**
     * The hard case: a crash after the orders part of a batch was written, before the customers part; Lambda
     * bisects. The first half finds the orders part, which reaches into the second half; the ledger remembers
     * that reach, so the second half does not write those orders again under a new key.
     */
    @Test
    void aCrashBetweenTwoDatasetsPartsThenABisectedRetryWritesEachRecordOnce() {
        fixture.sink.fail(key -> key.contains("/customers/"), 1, true, false);
        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(mixed(SHARD, 1, 10)));
        assertEquals(1, fixture.keys("raw/kinesis/orders/").size());

        BatchResult firstHalf = fixture.ingest(mixed(SHARD, 1, 5));
        assertEquals(Position.of(9), fixture.store.ledger(SHARD).coverage().get("data/orders/v1"));
        BatchResult secondHalf = fixture.ingest(mixed(SHARD, 6, 5));

        assertEquals(new Counts(5, 2, 0, 3, 0), firstHalf.counts());
        assertEquals(new Counts(5, 3, 0, 2, 0), secondHalf.counts());
        assertEachOnce(10);
    }

    /**
     * Attempt A of 5..8 writes one orders part keyed 5 holding 5..8, then crashes before the ledger advance (its pin
     * says 5..8 were attempted, not what is durable). The retries fail at 5, the mapping gives 5..7 up and delivers
     * a batch from 8: record 8 is in the part keyed 5 and must not be written again under the key of 8, while
     * [5, 8) stays open for a re-drive, which finds 5..7 in the part keyed 5.
     */
    @Test
    void aPartAnUnrecordedAttemptWroteIsFoundWhenTheMappingGivesUpTheRangeBeforeItsEnd() {
        List<StreamRecord> orders = IntStream.rangeClosed(1, 10).mapToObj(i -> record(SHARD, i, order("o-" + i)))
                .toList();
        fixture.ingest(orders.subList(0, 4));
        fixture.store.failAdvancesAfter(1, 1, true);
        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(orders.subList(4, 8)));
        assertEquals(List.of(KinesisPartNames.file(SHARD, Position.of(1)),
                        KinesisPartNames.file(SHARD, Position.of(5))),
                fixture.keys("raw/").stream().map(key -> key.substring(key.lastIndexOf('/') + 1)).toList(),
                "one part of 1..4 and one of 5..8");
        fixture.sink.fail(key -> key.contains("/orders/"), 1, false, false);
        BatchResult retry = fixture.ingest(orders.subList(4, 7));
        assertEquals(List.of("5"), retry.failedSequenceNumbers());
        assertEquals(0, fixture.sink.lists.get(), "no listing off the given-up path");

        BatchResult next = fixture.ingest(orders.subList(7, 10));

        assertEquals(new Counts(3, 2, 0, 1, 0), next.counts(), "8 is in the part keyed 5");
        assertEquals(List.of(), next.failedSequenceNumbers());
        LedgerState ledger = fixture.store.ledger(SHARD);
        assertEquals(Optional.of(Position.of(10)), ledger.through());
        assertEquals(List.of(new LedgerState.Hole(Position.of(5), Position.of(8), Map.of())), ledger.holes(),
                "5..7 stay open for a re-drive");
        assertEachOnce(10);

        BatchResult redrive = fixture.ingest(orders.subList(4, 7));

        assertEquals(new Counts(3, 0, 0, 3, 0), redrive.counts(), "found in the part keyed 5 by its key");
        assertEachOnce(10);
        assertEquals(List.of(Position.of("7", 1)),
                fixture.store.ledger(SHARD).holes().stream().map(LedgerState.Hole::from).toList(),
                "5..7 settled; only what lies past the re-driven range stays open");
    }

    /**
     * The limit "a replay into a range awaiting re-drive can duplicate": the same part keyed 5 holding 5..8 that no
     * ledger knows of, [5, 8) waiting for its re-drive, then the iterator is rewound to 6. The replay's orders start
     * at 6, inside the range: without looking, 6 and 7 went into a new part keyed 6, a second copy.
     */
    @Test
    void aReplayFromInsideARangeWaitingForItsReDriveFindsThePartAnUnrecordedAttemptWrote() {
        List<StreamRecord> orders = IntStream.rangeClosed(1, 10).mapToObj(i -> record(SHARD, i, order("o-" + i)))
                .toList();
        fixture.ingest(orders.subList(0, 4));
        fixture.store.failAdvancesAfter(1, 1, true);
        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(orders.subList(4, 8)));
        fixture.sink.fail(key -> key.contains("/orders/"), 1, false, false);
        assertEquals(List.of("5"), fixture.ingest(orders.subList(4, 7)).failedSequenceNumbers());
        fixture.ingest(orders.subList(7, 10));
        assertEquals(List.of(new LedgerState.Hole(Position.of(5), Position.of(8), Map.of())),
                fixture.store.ledger(SHARD).holes());

        BatchResult replay = fixture.ingest(orders.subList(5, 10));

        assertEquals(new Counts(5, 0, 0, 5, 0), replay.counts(), "6 and 7 are in the part keyed 5, 8..10 settled");
        assertEachOnce(10);
        assertEquals(new Counts(3, 0, 0, 3, 0), fixture.ingest(orders.subList(4, 7)).counts(), "the re-drive of 5..7");
        assertEachOnce(10);
    }

    /**
     * The same for a writer the batch after the given-up range has no record of: attempt A of 6..9 writes the
     * customers part keyed 6 (6, 8), then crashes before the orders part. 6 is given up, the batch [7] has only an
     * order, and the batch [8, 9] after it starts where the ledger expects: the reach of the customers part must
     * have been recorded when the range was found given up.
     */
    @Test
    void aPartAnUnrecordedAttemptWroteIsRememberedForTheWritersOfLaterBatches() {
        fixture.ingest(mixed(SHARD, 1, 5));
        fixture.sink.fail(key -> key.contains("/orders/"), 1, true, false);
        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(mixed(SHARD, 6, 4)));
        fixture.sink.fail(key -> key.contains("/customers/"), 1, false, false);
        assertEquals(List.of("6"), fixture.ingest(mixed(SHARD, 6, 1)).failedSequenceNumbers());

        BatchResult order = fixture.ingest(mixed(SHARD, 7, 1));
        assertEquals(Position.of(8), fixture.store.ledger(SHARD).coverage().get("data/customers/v1"));
        BatchResult next = fixture.ingest(mixed(SHARD, 8, 2));

        assertEquals(new Counts(1, 1, 0, 0, 0), order.counts());
        assertEquals(new Counts(2, 1, 0, 1, 0), next.counts(), "8 is in the customers part keyed 6");
        assertEquals(new Counts(1, 0, 0, 1, 0), fixture.ingest(mixed(SHARD, 6, 1)).counts(), "the re-drive of 6");
        assertEachOnce(9);
    }

    /**
     * Two ranges given up in a row: A = 5..7 fails and is given up, the batch from 8 fails too (it settles nothing),
     * then A's re-drive settles 5..7 before the mapping gives up B = 8..11 and delivers a batch from 12. B must stay
     * open for its re-drive, which writes 8..11 once.
     */
    @Test
    void aRangeGivenUpRightAfterAnotherStaysOpenWhenTheFirstIsReDrivenInBetween() {
        List<StreamRecord> orders = IntStream.rangeClosed(1, 14).mapToObj(i -> record(SHARD, i, order("o-" + i)))
                .toList();
        fixture.ingest(orders.subList(0, 4));
        fixture.sink.fail(key -> key.contains("/orders/"), 1, false, false);
        assertEquals(List.of("5"), fixture.ingest(orders.subList(4, 7)).failedSequenceNumbers(), "A fails");
        fixture.sink.fail(key -> key.contains("/orders/"), 1, false, false);
        assertEquals(List.of("8"), fixture.ingest(orders.subList(7, 11)).failedSequenceNumbers(),
                "A given up, the batch from 8 fails too");

        BatchResult redriveA = fixture.ingest(orders.subList(4, 7));
        BatchResult next = fixture.ingest(orders.subList(11, 14));

        assertEquals(new Counts(3, 3, 0, 0, 0), redriveA.counts(), "A's re-drive writes 5..7");
        assertEquals(new Counts(3, 3, 0, 0, 0), next.counts());
        assertEquals(List.of(new LedgerState.Hole(Position.of(8), Position.of(12), Map.of())),
                fixture.store.ledger(SHARD).holes(), "B = 8..11 stays open for its re-drive");
        BatchResult redriveB = fixture.ingest(orders.subList(7, 11));
        assertEquals(new Counts(4, 4, 0, 0, 0), redriveB.counts(), "B's re-drive writes 8..11, none is skipped");
        assertEquals(List.of(Position.of("11", 1)),
                fixture.store.ledger(SHARD).holes().stream().map(LedgerState.Hole::from).toList(),
                "8..11 settled; only what lies past the re-driven range stays open");
        assertEachOnce(14);
        assertEquals(new Counts(3, 0, 0, 3, 0), fixture.ingest(orders.subList(4, 7)).counts(), "A again: duplicates");
        assertEachOnce(14);
    }

    @Test
    void aPutThatTimedOutAfterWritingIsRecognisedByKeyOnTheRetry() {
        fixture.sink.fail(key -> key.contains("/orders/"), 1, false, true);

        BatchResult first = fixture.ingest(mixed(SHARD, 1, 6));
        BatchResult retry = fixture.ingest(mixed(SHARD, 1, 6));

        assertEquals(List.of("1"), first.failedSequenceNumbers());
        assertEquals(new Counts(6, 0, 0, 0, 6), first.counts(), "the put's outcome is unknown: not counted written");
        assertEquals(new Counts(6, 3, 0, 3, 0), retry.counts());
        assertEquals(1, fixture.sink.heads.get(), "found by its key and lineage");
        assertEachOnce(6);
    }

    @Test
    void aLedgerThatCannotBeAdvancedFailsTheShardFromPastTheOldLedgerAndTheDataIsFoundAgain() {
        fixture.ingest(mixed(SHARD, 1, 4));
        fixture.store.failAdvancesAfter(1, 1, false);

        BatchResult failed = fixture.ingest(mixed(SHARD, 1, 10));

        assertEquals(List.of("5"), failed.failedSequenceNumbers());
        assertEquals(new Counts(10, 6, 0, 4, 0), failed.counts(), "counted as what happened: written");
        BatchResult retry = fixture.ingest(mixed(SHARD, 5, 6));
        assertEquals(new Counts(6, 0, 0, 6, 0), retry.counts());
        assertEachOnce(10);
    }

    @Test
    void aFailureInsideAnAggregateReportsTheAggregateAndTheRetrySkipsItsSettledUserRecords() {
        List<StreamRecord> batch = List.of(record(SHARD, 1, order("o-1")),
                aggregate(SHARD, 2, order("o-2.0"), customer("c-2.1"), order("o-2.2")),
                record(SHARD, 3, customer("c-3")));
        fixture.sink.fail(key -> key.contains("/customers/"), 1, false, false);

        BatchResult first = fixture.ingest(batch);
        assertEquals(List.of("2"), first.failedSequenceNumbers());
        assertEquals(Optional.of(Position.of("2", 0)), fixture.store.ledger(SHARD).through());

        BatchResult retry = fixture.ingest(batch.subList(1, 3));

        assertEquals(new Counts(4, 2, 0, 2, 0), retry.counts());
        assertEquals(List.of("c-2.1", "c-3", "o-1", "o-2.0", "o-2.2"), fixture.rawIds());
    }

    @Test
    void shardsSettleIndependentlyAndEachReportsItsOwnFirstFailure() {
        String other = "shardId-000000000001";
        List<StreamRecord> batch = new ArrayList<>();
        List<StreamRecord> a = mixed(SHARD, 1, 6);
        List<StreamRecord> b = mixed(other, 1, 6);
        for (int i = 0; i < 6; i++) {
            batch.add(a.get(i));
            batch.add(b.get(i));
        }
        fixture.sink.fail(key -> key.contains(other) && key.contains("/customers/"), 1, false, false);

        BatchResult result = fixture.ingest(batch);

        assertEquals(List.of("2"), result.failedSequenceNumbers());
        assertEquals(List.of(Optional.<String>empty(), Optional.of("2")),
                result.shards().stream().map(ShardResult::failedSequenceNumber).toList());
        BatchResult retry = fixture.ingest(b);
        assertEquals(new Counts(6, 3, 0, 3, 0), retry.counts());
        assertEquals(12, fixture.rawIds().stream().distinct().count());
        assertEquals(12, fixture.rawIds().size());
    }

    @Test
    void aRangeThatCannotBePinnedIsRetriedWholeWithNothingWritten() {
        fixture.store.failAdvances(1, false);

        BatchResult failed = fixture.ingest(mixed(SHARD, 1, 6));

        assertEquals(List.of("1"), failed.failedSequenceNumbers());
        assertEquals(new Counts(6, 0, 0, 0, 6), failed.counts());
        assertEquals(0, fixture.sink.puts.get(), "nothing is written before its range is pinned");
        assertEquals(new Counts(6, 6, 0, 0, 0), fixture.ingest(mixed(SHARD, 1, 6)).counts());
    }

    @Test
    void aCrashWhileTheRangeIsPinnedIsThrownWithNothingWritten() {
        fixture.store.failAdvances(1, true);

        assertThrows(KinesisFixture.Crash.class, () -> fixture.ingest(mixed(SHARD, 1, 6)));

        assertEquals(0, fixture.sink.puts.get(), "nothing is written before its range is pinned");
        assertEquals(new Counts(6, 6, 0, 0, 0), fixture.ingest(mixed(SHARD, 1, 6)).counts());
    }

    @Test
    void aPinThatMeetsAConcurrentAdvanceDecidesTheRecordsWithTheLedgerAsStored() {
        // Another invocation, whose configuration does not route this stream, settles the same range (all quarantined) between
        // this one's read of the ledger and its pin: the records it decided meanwhile must not be written again.
        KinesisIngester other = fixture.concurrent(StreamRouting.parse("""
                {"streams":[{"stream":"orders-stream","dataset":"orders"}]}"""));
        fixture.store.beforeNextAdvance(() -> other.ingest(mixed(SHARD, 1, 6), new RunContext("test", "other")));

        BatchResult result = fixture.ingest(mixed(SHARD, 1, 6));

        assertEquals(new Counts(6, 0, 0, 6, 0), result.counts());
        assertEquals(List.of(), fixture.raw());
        assertEquals(6, fixture.quarantined().size());
    }

    @Test
    void thePinIsLoggedUnderTheBatchsCorrelationId() {
        List<String> ids = new ArrayList<>();
        fixture.store.beforeNextAdvance(() -> ids.add(MDC.get("correlation_id")));

        fixture.ingest(mixed(SHARD, 3, 4));

        assertEquals(List.of(KinesisFixture.ARN + "/" + SHARD + "/3-6"), ids);
    }

    @Test
    void partsAreCutByThePolicyAndAnotherPolicyOnRetryStillFindsThem() {
        KinesisFixture small = new KinesisFixture(new PartPolicy(3, 1 << 20));
        List<StreamRecord> orders = IntStream.rangeClosed(1, 10).mapToObj(i -> record(SHARD, i, order("o-" + i))).toList();
        small.store.failAdvancesAfter(1, 1, true);
        assertThrows(KinesisFixture.Crash.class, () -> small.ingest(orders));
        assertEquals(4, small.keys("raw/").size());

        BatchResult retry = small.ingest(orders);

        assertEquals(new Counts(10, 0, 0, 10, 0), retry.counts());
        assertEquals(4, small.sink.heads.get(), "one HEAD per existing part, only on the recovery path");
        assertEquals(10, small.rawIds().size());
    }

    @Test
    void aRecordWhoseBytesAreNotUtf8JsonIsQuarantinedNotFailed() {
        byte[] latin1 = "{\"type\":\"order\",\"id\":\"caf\u00e9\",\"amount\":1}".getBytes(StandardCharsets.ISO_8859_1);
        BatchResult result = fixture.ingest(List.of(new StreamRecord(KinesisFixture.ARN, SHARD, "1", "pk", latin1,
                KinesisFixture.ARRIVAL)));

        assertEquals(new Counts(1, 0, 1, 0, 0), result.counts());
    }

    private void assertEachOnce(int count) {
        List<String> ids = fixture.rawIds();
        assertEquals(count, ids.size(), ids.toString());
        assertEquals(count, ids.stream().distinct().count(), ids.toString());
    }
}
