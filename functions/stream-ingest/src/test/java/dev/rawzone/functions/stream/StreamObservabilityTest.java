package dev.rawzone.functions.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.kinesis.ShardResult;
import dev.rawzone.core.kinesis.ShardShare;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.PrintedLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.rawzone.functions.stream.StreamFixture.ARN;
import static dev.rawzone.functions.stream.StreamFixture.SHARD;
import static dev.rawzone.functions.stream.StreamFixture.SHARD_1;
import static dev.rawzone.functions.stream.StreamFixture.T0;
import static dev.rawzone.functions.stream.StreamFixture.entry;
import static dev.rawzone.functions.stream.StreamFixture.event;
import static dev.rawzone.functions.stream.StreamFixture.mixed;
import static dev.rawzone.functions.stream.StreamFixture.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the handler prints for CloudWatch: EMF metrics per dataset that match its outcome, and JSON logs. */
class StreamObservabilityTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private final List<PrintedLines> printed = new ArrayList<>();
    private StreamFixture fixture;
    private StreamIngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new StreamFixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of());
    }

    @Test
    void eachDatasetHasOneMetricLineWithTheCountsPartsBytesAndOldestRecordAgeOfItsRecords() {
        List<StreamFixture.Entry> entries = new ArrayList<>(mixed(SHARD, 1, 4));
        entries.addAll(mixed(SHARD_1, 5, 4));
        entries.add(entry(SHARD_1, 9, "{\"type\":\"order\",\"order_id\":\"o-9\"}"));
        KinesisEvent event = event(entries);
        Instant before = Instant.now();

        StreamIngestHandler.Outcome outcome = PrintedLines.capture(() -> handler.ingest(event, "run-1"), printed);

        Instant after = Instant.now();
        List<EmfBlob> blobs = printed.get(0).metrics().stream().map(EmfBlob::of).toList();
        assertEquals(List.of("customers", "orders"), blobs.stream().map(blob -> blob.dimension("dataset")).toList());
        for (EmfBlob blob : blobs) {
            String dataset = blob.dimension("dataset");
            assertEquals(List.of(List.of("service"), List.of("service", "dataset")), blob.dimensionSets());
            assertEquals("stream-ingest", blob.dimension("service"));
            List<ShardShare> shares = outcome.result().shards().stream().map(ShardResult::shares)
                    .flatMap(List::stream).filter(share -> share.dataset().equals(Optional.of(dataset))).toList();
            Counts counts = shares.stream().map(ShardShare::counts).reduce(Counts.ZERO, Counts::plus);
            assertEquals(counts.in(), blob.value("RecordsIn"), dataset);
            assertEquals(counts.written(), blob.value("RecordsWritten"), dataset);
            assertEquals(counts.quarantined(), blob.value("RecordsQuarantined"), dataset);
            assertEquals(counts.duplicates(), blob.value("RecordsDuplicate"), dataset);
            assertEquals(counts.failed(), blob.value("RecordsFailed"), dataset);
            assertEquals(shares.stream().mapToLong(share -> share.written().parts()).sum(), blob.value("PartsWritten"));
            assertEquals(shares.stream().mapToLong(share -> share.written().bytes()).sum(), blob.value("BytesWritten"));
            Instant oldest = Instant.ofEpochSecond(T0 + (dataset.equals("orders") ? 1 : 2));
            double age = blob.value("RecordAge");
            assertTrue(age >= before.toEpochMilli() - oldest.toEpochMilli()
                    && age <= after.toEpochMilli() - oldest.toEpochMilli(), dataset + " " + age);
            assertEquals("Milliseconds", blob.units().get("RecordAge"));
        }
        EmfBlob orders = blobs.get(1);
        assertEquals(new Counts(5, 4, 1, 0, 0), new Counts((long) orders.value("RecordsIn"),
                (long) orders.value("RecordsWritten"), (long) orders.value("RecordsQuarantined"),
                (long) orders.value("RecordsDuplicate"), (long) orders.value("RecordsFailed")));
        assertEquals(outcome.counts().in(), blobs.stream().mapToDouble(blob -> blob.value("RecordsIn")).sum());
        assertEquals(3, orders.value("PartsWritten"), "a data part per shard and the quarantined order's part");
        assertTrue(orders.value("BytesWritten") > 0);
    }

    @Test
    void aRedeliveredBatchCountsItsRecordsAsDuplicatesAndWritesNothing() {
        KinesisEvent event = event(mixed(SHARD, 1, 4));
        handler.ingest(event, "run-1");

        PrintedLines.capture(() -> handler.ingest(event, "run-2"), printed);

        List<EmfBlob> blobs = printed.get(0).metrics().stream().map(EmfBlob::of).toList();
        assertEquals(4, blobs.stream().mapToDouble(blob -> blob.value("RecordsDuplicate")).sum(), blobs.toString());
        assertEquals(0, blobs.stream().mapToDouble(blob -> blob.value("PartsWritten")).sum(), blobs.toString());
    }

    @Test
    void theLogLinesOfAShardNameTheFunctionTheRequestTheShardAndTheBatchSequenceRange() {
        FakeContext context = new FakeContext("StreamIngestFunction");

        PrintedLines.capture(() -> handler.handleRequest(event(mixed(SHARD, 1, 2)), context), printed);

        List<JsonNode> logs = printed.get(0).logs();
        assertFalse(logs.isEmpty());
        for (JsonNode line : logs) {
            assertEquals("StreamIngestFunction", line.path("function_name").asText(), line.toString());
            assertEquals(context.getAwsRequestId(), line.path("function_request_id").asText(), line.toString());
        }
        List<JsonNode> shardLines = logs.stream()
                .filter(line -> line.path("message").asText().startsWith("shard " + SHARD)).toList();
        assertEquals(1, shardLines.size(), logs.toString());
        assertEquals(ARN + "/" + SHARD + "/" + sequence(1) + "-" + sequence(2),
                shardLines.get(0).path("correlation_id").asText());
    }
}
