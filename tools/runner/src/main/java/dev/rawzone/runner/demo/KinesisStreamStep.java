package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.invoke.Invocation;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kinesis: puts orders and customers onto the template's stream (one of them cut short, one invalid, three in a KPL
 * aggregate), reads them back with GetRecords, and hands StreamIngestFunction the events the event source mapping
 * would build from them, batch by batch, re-reading from the reported sequence number after a failure: the first
 * batch meets the checkpoint table unavailable (the demo takes it away and brings it back), so the function reports
 * the shard's first record and Lambda retries from it with a larger batch. Last, a batch is delivered again, as
 * after a lost response. Counts come from the function's log line (a partial batch response carries none).
 */
public final class KinesisStreamStep implements DemoStep {
    public static final String FUNCTION = "StreamIngestFunction";
    public static final String STREAM = "IngestStream";
    public static final String TABLE = "CheckpointTable";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4;
    private static final int RETRY_BATCH = 6;

    @Override
    public String title() {
        return "Kinesis: records onto the stream, read back with GetRecords, batches to the function as the event "
                + "source mapping sends them, a retry after a failure, a batch delivered twice";
    }

    @Override
    public List<String> requires() {
        return List.of(FUNCTION, STREAM, TABLE);
    }

    @Override
    public void run(DemoContext demo) {
        String stream = demo.name(STREAM);
        String table = demo.name(TABLE);
        List<PutRecordsRequestEntry> puts = samples();
        demo.aws().kinesis().putRecords(p -> p.streamName(stream).records(puts));
        demo.out().printf("  put %d records onto kinesis stream %s (1 cut-off JSON, 1 invalid, 1 KPL aggregate of 3)%n",
                puts.size(), stream);
        String arn = demo.aws().kinesis().describeStreamSummary(d -> d.streamName(stream))
                .streamDescriptionSummary().streamARN();
        for (Shard shard : demo.aws().kinesis().listShards(l -> l.streamName(stream)).shards()) {
            List<Record> records = readAll(demo, stream, shard.shardId());
            if (records.isEmpty()) {
                continue;
            }
            demo.out().printf("  %s: %d records read back with GetRecords%n", shard.shardId(), records.size());
            deliver(demo, arn, table, shard.shardId(), records);
        }
    }

    /** The event source mapping, for one shard: batches from its checkpoint, which moves as the responses say. */
    private void deliver(DemoContext demo, String arn, String table, String shardId, List<Record> records) {
        int checkpoint = 0;
        int batch = 1;
        boolean tableTakenAway = false;
        List<Record> firstBatch = null;
        while (checkpoint < records.size()) {
            int size = tableTakenAway ? RETRY_BATCH : BATCH;
            List<Record> slice = records.subList(checkpoint, Math.min(records.size(), checkpoint + size));
            String note = "";
            if (batch == 1) {
                demo.aws().dynamoDb().deleteTable(d -> d.tableName(table));
                tableTakenAway = true;
                note = " (checkpoint table unavailable)";
            }
            Result result = invoke(demo, arn, shardId, slice, "batch " + batch + note);
            if (batch == 1) {
                recreate(demo, table);
                firstBatch = slice;
            }
            batch++;
            if (result == null) {
                return;
            }
            if (result.retryFrom() == null) {
                checkpoint += slice.size();
            } else {
                int at = checkpoint;
                while (at < records.size() && !records.get(at).sequenceNumber().equals(result.retryFrom())) {
                    at++;
                }
                checkpoint = at;
            }
        }
        if (firstBatch != null) {
            invoke(demo, arn, shardId, firstBatch, "batch 1 delivered again");
        }
    }

    private record Result(String retryFrom) {
    }

    private Result invoke(DemoContext demo, String arn, String shardId, List<Record> slice, String label) {
        Path log = demo.directory().resolve(".local/demo/functions.log");
        long before = size(log);
        Invocation invocation = demo.invoke(FUNCTION, event(arn, shardId, slice));
        String span = shardId + " " + label + ", " + slice.size() + " Kinesis records";
        if (!invocation.succeeded()) {
            String error = invocation.error() == null ? "exit code " + invocation.exitCode() : invocation.error();
            demo.out().printf("  %s <- %s: failed (%s)%n", FUNCTION, span, error);
            demo.report().add(new DemoReport.Row("kinesis", span, 0, 0, 0, 0, 0, "error: " + error));
            return null;
        }
        JsonNode response = DemoContext.json(invocation);
        JsonNode failures = response == null ? null : response.path("batchItemFailures");
        String retryFrom = failures != null && failures.size() > 0 ? failures.get(0).path("itemIdentifier").asText()
                : null;
        JsonNode counts = countsLogged(log, before);
        String outcome = retryFrom == null ? "settled" : "retry from " + shortSequence(retryFrom);
        demo.out().printf("  %s <- %s: %s%n", FUNCTION, span, outcome);
        demo.report().add(DemoReport.Row.of("kinesis", span, counts, outcome));
        return new Result(retryFrom);
    }

    /** The {@code counts} of the function's last "batch settled" log line written after {@code from}. */
    private static JsonNode countsLogged(Path log, long from) {
        JsonNode counts = JSON.createObjectNode();
        try {
            byte[] bytes = Files.readAllBytes(log);
            String appended = new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from),
                    StandardCharsets.UTF_8);
            for (String line : appended.split("\n")) {
                if (line.startsWith("{") && line.contains("\"counts\"")) {
                    JsonNode node = JSON.readTree(line).path("counts");
                    if (node.isObject()) {
                        counts = node;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
        return counts;
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void recreate(DemoContext demo, String table) {
        demo.aws().dynamoDb().createTable(t -> t.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build()));
    }

    private static List<Record> readAll(DemoContext demo, String stream, String shardId) {
        String iterator = demo.aws().kinesis().getShardIterator(g -> g.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = new ArrayList<>();
        for (int reads = 0; iterator != null && reads < 100; reads++) {
            String from = iterator;
            var answer = demo.aws().kinesis().getRecords(g -> g.shardIterator(from).limit(1000));
            if (answer.records().isEmpty()) {
                break;
            }
            records.addAll(answer.records());
            iterator = answer.nextShardIterator();
        }
        return records;
    }

    /** The event Lambda builds from what GetRecords returned. */
    static ObjectNode event(String arn, String shardId, List<Record> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        String region = arn.split(":")[3];
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
                    .put("awsRegion", region).put("eventSourceARN", arn);
        }
        return event;
    }

    static List<PutRecordsRequestEntry> samples() {
        List<PutRecordsRequestEntry> puts = new ArrayList<>();
        puts.add(put("c-001", order("o-3001", "c-001", "42.50")));
        puts.add(put("c-002", customer("c-002", "Grace Hopper", "grace@example.com")));
        puts.add(put("c-003", order("o-3002", "c-003", "19.99")));
        puts.add(put("c-004", "{\"type\":\"order\",\"order_id\":\"o-3003\",\"amount\":"));
        puts.add(put("c-004", order("o-3004", "c-004", "7.25").replace("\"EUR\"", "\"euro\"")));
        puts.add(put("c-005", order("o-3005", "c-005", "120.00")));
        Map<String, String> aggregated = new LinkedHashMap<>();
        aggregated.put("o-3006", order("o-3006", "c-001", "3.10"));
        aggregated.put("c-001", customer("c-001", "Ada Lovelace", "ada@example.com"));
        aggregated.put("o-3007", order("o-3007", "c-001", "8.00"));
        puts.add(PutRecordsRequestEntry.builder().partitionKey("c-001")
                .data(SdkBytes.fromByteArray(kplAggregate("c-001", List.copyOf(aggregated.values())))).build());
        puts.add(put("c-006", customer("c-006", "Barbara Liskov", "barbara@example.com")));
        puts.add(put("c-002", order("o-3008", "c-002", "5.00")));
        puts.add(put("c-003", order("o-3009", "c-003", "64.00")));
        return puts;
    }

    private static PutRecordsRequestEntry put(String partitionKey, String json) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey)
                .data(SdkBytes.fromString(json, StandardCharsets.UTF_8)).build();
    }

    private static String order(String id, String customer, String amount) {
        return "{\"type\":\"order\",\"order_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"currency\":\"EUR\",\"created_at\":\"2026-11-25T09:00:00Z\"}";
    }

    private static String customer(String id, String name, String email) {
        return "{\"type\":\"customer\",\"customer_id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + email
                + "\",\"country\":\"GB\"}";
    }

    private static String shortSequence(String sequence) {
        return sequence.length() <= 12 ? sequence : "..." + sequence.substring(sequence.length() - 8);
    }

    /**
     * What the KPL writes for records it aggregates: magic F3 89 9A C2, a protobuf AggregatedRecord (partition key
     * table, then records of {partition key index, data}), and the MD5 of the protobuf. The runner does not depend on
     * the core (whose KplAggregator writes the same), so these few lines are repeated here.
     */
    static byte[] kplAggregate(String partitionKey, List<String> jsons) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, 1, partitionKey.getBytes(StandardCharsets.UTF_8));
        for (String json : jsons) {
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            record.write(1 << 3); // partition_key_index, varint
            record.write(0);
            field(record, 3, json.getBytes(StandardCharsets.UTF_8));
            field(body, 3, record.toByteArray());
        }
        byte[] protobuf = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
        out.writeBytes(protobuf);
        try {
            out.writeBytes(MessageDigest.getInstance("MD5").digest(protobuf));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        varint(out, number << 3 | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
