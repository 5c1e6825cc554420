package dev.rawzone.functions.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.kinesis.KplAggregator;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the emulator: records put onto a two-shard stream (one KPL-aggregated, one poison), read back with
 * GetRecords, turned into the event Lambda would build from them, and handed to the handler shard by shard the way
 * the event source mapping does: in batches, re-reading from the reported sequence number after a partial failure.
 */
class EmulatedStreamTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    @Test
    void recordsReadBackFromTheStreamAreIngestedOnceThroughARetry() {
        StreamFixture fixture = new StreamFixture(EMULATOR.emulator());
        KinesisClient kinesis = kinesis(EMULATOR.emulator());
        kinesis.createStream(c -> c.streamName(StreamFixture.STREAM).shardCount(2));
        String arn = kinesis.describeStreamSummary(d -> d.streamName(StreamFixture.STREAM))
                .streamDescriptionSummary().streamARN();

        List<PutRecordsRequestEntry> puts = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            String json = i % 3 == 0 ? StreamFixture.customer(i) : StreamFixture.order(i);
            expected.add((i % 3 == 0 ? "c-" : "o-") + i);
            puts.add(entry("key-" + (i % 5), json.getBytes(StandardCharsets.UTF_8)));
        }
        puts.add(entry("key-1", "{\"type\":\"order\",".getBytes(StandardCharsets.UTF_8)));
        puts.add(entry("key-2", new KplAggregator().add("key-2", StreamFixture.order(100).getBytes(StandardCharsets.UTF_8))
                .add("key-2", StreamFixture.customer(101).getBytes(StandardCharsets.UTF_8)).toBytes()));
        expected.add("o-100");
        expected.add("c-101");
        kinesis.putRecords(p -> p.streamName(StreamFixture.STREAM).records(puts));

        FaultInjectingProxy proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
        proxy.fail(FaultInjectingProxy.putTo("/raw/kinesis/customers/"), 6, 503, "SlowDown");
        StreamIngestHandler handler = fixture.handler(proxy.endpoint(), fixture.checkpoints(), Map.of());
        Counts total = Counts.ZERO;
        int retries = 0;
        try {
            for (Shard shard : kinesis.listShards(l -> l.streamName(StreamFixture.STREAM)).shards()) {
                String iterator = kinesis.getShardIterator(g -> g.streamName(StreamFixture.STREAM)
                        .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (true) {
                    String from = iterator;
                    GetRecordsResponse read = kinesis.getRecords(g -> g.shardIterator(from).limit(7));
                    if (read.records().isEmpty()) {
                        break;
                    }
                    StreamIngestHandler.Outcome outcome = StreamFixture.invoke(handler,
                            KinesisEvents.parse(new java.io.ByteArrayInputStream(
                                    event(arn, shard.shardId(), read.records()).toString().getBytes(StandardCharsets.UTF_8))));
                    total = total.plus(outcome.counts());
                    List<String> failed = StreamFixture.failures(outcome);
                    String next = failed.isEmpty() ? read.records().get(read.records().size() - 1).sequenceNumber()
                            : failed.get(0);
                    retries += failed.size();
                    iterator = kinesis.getShardIterator(g -> g.streamName(StreamFixture.STREAM).shardId(shard.shardId())
                            .shardIteratorType(failed.isEmpty() ? ShardIteratorType.AFTER_SEQUENCE_NUMBER
                                    : ShardIteratorType.AT_SEQUENCE_NUMBER)
                            .startingSequenceNumber(next)).shardIterator();
                }
            }
        } finally {
            proxy.close();
        }

        assertTrue(retries >= 1, "the throttled customers part was reported and retried");
        assertEquals(expected.size(), total.written());
        assertEquals(1, total.quarantined());
        assertEquals(total.in(), total.written() + total.quarantined() + total.duplicates() + total.failed());
        fixture.assertEachOnce(expected);
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)).build();
    }

    /** The event Lambda builds from GetRecords' answer. */
    static ObjectNode event(String arn, String shardId, List<Record> records) {
        ObjectNode event = StreamFixture.MAPPER.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (Record record : records) {
            ObjectNode entry = array.addObject();
            entry.putObject("kinesis").put("kinesisSchemaVersion", "1.0")
                    .put("partitionKey", record.partitionKey())
                    .put("sequenceNumber", record.sequenceNumber())
                    .put("data", Base64.getEncoder().encodeToString(record.data().asByteArray()))
                    .put("approximateArrivalTimestamp", record.approximateArrivalTimestamp().toEpochMilli() / 1000.0);
            entry.put("eventSource", "aws:kinesis").put("eventVersion", "1.0")
                    .put("eventID", shardId + ":" + record.sequenceNumber())
                    .put("eventName", "aws:kinesis:record")
                    .put("invokeIdentityArn", "arn:aws:iam::123456789012:role/StreamIngestFunctionRole")
                    .put("awsRegion", Emulator.REGION).put("eventSourceARN", arn);
        }
        return event;
    }

    static KinesisClient kinesis(Emulator emulator) {
        return KinesisClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(Emulator.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
