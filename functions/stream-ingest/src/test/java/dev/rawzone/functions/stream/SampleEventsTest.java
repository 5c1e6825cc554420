package dev.rawzone.functions.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.kinesis.KplAggregate;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kinesis sample events under {@code events/} (for {@code sam local invoke} and {@code ./ingest invoke}) load
 * through the Lambda runtime's serializer, carry what the handler needs, and come to the counts the README states.
 */
class SampleEventsTest {
    /** Surefire runs with the module directory as working directory. */
    private static final Path EVENTS = Path.of("..", "..", "events");

    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static KinesisEvent load(String file) {
        return EventLoader.loadKinesisEvent(EVENTS.resolve(file).toString());
    }

    @Test
    void singleRecordHasAFloatArrivalTimestampAndAnEventIdOfShardAndSequence() {
        KinesisEvent.KinesisEventRecord record = load("kinesis-single.json").getRecords().get(0);

        assertEquals(Instant.parse("2026-11-25T10:00:00.123Z"),
                record.getKinesis().getApproximateArrivalTimestamp().toInstant());
        assertEquals("shardId-000000000000:" + record.getKinesis().getSequenceNumber(), record.getEventID());
        assertEquals(56, record.getKinesis().getSequenceNumber().length(), "a sequence number as Kinesis writes them");
        assertEquals(StreamFixture.ARN, record.getEventSourceARN());
    }

    @Test
    void multiShardInterleavesTwoShardsWithIntegerTimestamps() {
        List<StreamRecord> records = KinesisEvents.records(load("kinesis-multi-shard.json"));

        assertEquals(List.of("shardId-000000000000", "shardId-000000000001"),
                records.stream().map(StreamRecord::shardId).distinct().sorted().toList());
        assertEquals(Instant.parse("2026-11-25T10:00:01Z"), records.get(0).arrival());
    }

    @Test
    void aggregatedHoldsAKplAggregateOfFourUserRecords() {
        List<StreamRecord> records = KinesisEvents.records(load("kinesis-aggregated.json"));

        KplAggregate.Result.Aggregated aggregate = assertInstanceOf(KplAggregate.Result.Aggregated.class,
                KplAggregate.parse(records.get(1).data()));
        assertEquals(4, aggregate.records().size());
        assertInstanceOf(KplAggregate.Result.Plain.class, KplAggregate.parse(records.get(0).data()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "kinesis-single.json,      1, 1, 0",
            "kinesis-multi-shard.json, 5, 5, 0",
            "kinesis-aggregated.json,  6, 6, 0",
            "kinesis-poison.json,      4, 2, 2"})
    void eachEventComesToItsCountsAndADeliveryAgainToDuplicates(String file, long in, long written, long quarantined) {
        StreamFixture fixture = new StreamFixture(EMULATOR.emulator());
        StreamIngestHandler handler = fixture.handler(Map.of());

        StreamIngestHandler.Outcome first = StreamFixture.invoke(handler, load(file));
        StreamIngestHandler.Outcome again = StreamFixture.invoke(handler, load(file));

        assertEquals(new Counts(in, written, quarantined, 0, 0), first.counts());
        assertEquals(List.of(), first.response().getBatchItemFailures());
        assertEquals(new Counts(in, 0, 0, in, 0), again.counts());
        assertEquals(written, fixture.lines("raw/").size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kinesis-single.json, 1", "kinesis-multi-shard.json, 5", "kinesis-aggregated.json, 6",
            "kinesis-poison.json, 4"})
    void theDryRunListsEveryUserRecord(String file, int entries) throws IOException {
        StreamIngestHandler handler = new StreamFixture(EMULATOR.emulator()).handler(Map.of());
        List<ObjectNode> plan;
        try (InputStream in = Files.newInputStream(EVENTS.resolve(file))) {
            plan = handler.plan(in);
        }

        assertEquals(entries, plan.size());
        for (ObjectNode line : plan) {
            assertTrue(line.has("shard") && line.has("sequenceNumber") && line.has("subSequenceNumber")
                    && line.has("action"), line.toString());
        }
    }
}
