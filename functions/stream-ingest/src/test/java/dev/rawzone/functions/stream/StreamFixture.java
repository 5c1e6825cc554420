package dev.rawzone.functions.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.kinesis.KplAggregator;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw bucket and checkpoint table on the emulator, Kinesis events shaped as Lambda delivers them, and readers. */
final class StreamFixture {
    static final String RAW = "rawzone-raw-123456789012-us-east-1";
    static final String TABLE = "rawzone-checkpoints";
    static final String STREAM = "rawzone-events";
    static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/" + STREAM;
    /** A stream of the same name in another account and region: a different stream. */
    static final String OTHER_ARN = "arn:aws:kinesis:eu-west-1:210987654321:stream/" + STREAM;
    static final String SHARD = "shardId-000000000000";
    static final String SHARD_1 = "shardId-000000000001";
    /** 2026-11-25T10:00:00Z, as Lambda sends it: epoch seconds. */
    static final long T0 = 1_795_600_800L;
    static final BigInteger BASE = new BigInteger("49659400000000000000000000000000000000000000000000000000");
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PojoSerializer<KinesisEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(KinesisEvent.class, StreamFixture.class.getClassLoader());

    final Emulator emulator;
    final S3Client s3;
    final DynamoDbClient dynamoDb;

    StreamFixture(Emulator emulator) {
        this.emulator = emulator;
        AwsClients clients = new AwsClients(emulator.environment());
        this.s3 = clients.s3();
        this.dynamoDb = clients.dynamoDb();
        s3.createBucket(b -> b.bucket(RAW));
        s3.putBucketVersioning(v -> v.bucket(RAW).versioningConfiguration(c -> c.status("Enabled")));
        dynamoDb.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    /** The function's environment as template.yaml sets it, pointed at the given endpoint. */
    Map<String, String> environment(URI endpoint, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(emulator.environment());
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("RAW_BUCKET", RAW);
        env.put("CHECKPOINT_TABLE", TABLE);
        env.put("INGEST_CONFIG", "classpath:streams.json");
        env.put("SCHEMA_LOCATION", "classpath:schemas");
        env.put("PIPELINE_VERSION", "test");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "rawzone-test");
        env.putAll(extra);
        return env;
    }

    StreamIngestHandler handler(Map<String, String> extra) {
        return new StreamIngestHandler(StreamIngestWiring.fromEnvironment(environment(emulator.endpoint(), extra)));
    }

    /** A handler whose S3 calls go to {@code s3Endpoint} (a fault-injecting proxy) and whose ledger is {@code store}. */
    StreamIngestHandler handler(URI s3Endpoint, CheckpointStore store, Map<String, String> extra) {
        Map<String, String> env = environment(s3Endpoint, extra);
        return new StreamIngestHandler(StreamIngestWiring.of(env, new AwsClients(env).s3(), store));
    }

    CheckpointStore checkpoints() {
        return new DynamoDbCheckpointStore(new AwsClients(emulator.environment()).dynamoDbJson(), TABLE);
    }

    /** The stored ledger of one stream's shard, under {@code kinesis#<streamArn>#<shardId>}. */
    Checkpoint ledger(String streamArn, String shardId) {
        return checkpoints().get("kinesis#" + streamArn + "#" + shardId);
    }

    static StreamIngestHandler.Outcome invoke(StreamIngestHandler handler, KinesisEvent event) {
        StreamIngestHandler.Outcome outcome = handler.ingest(event, "run-" + System.nanoTime());
        assertTrue(outcome.counts().addsUp(), outcome.counts().toString());
        return outcome;
    }

    static List<String> failures(StreamIngestHandler.Outcome outcome) {
        return outcome.response().getBatchItemFailures().stream()
                .map(failure -> failure.getItemIdentifier()).toList();
    }

    // ------------------------------------------------------------------ events

    /** One Kinesis record as the event source mapping delivers it. */
    record Entry(String shard, BigInteger sequence, String partitionKey, byte[] data, Number arrival) {
    }

    static String sequence(int n) {
        return BASE.add(BigInteger.valueOf(n * 1000L)).toString();
    }

    static Entry entry(String shard, int n, String json) {
        return entry(shard, n, json.getBytes(StandardCharsets.UTF_8));
    }

    static Entry entry(String shard, int n, byte[] data) {
        return new Entry(shard, new BigInteger(sequence(n)), "pk-" + n, data, T0 + n);
    }

    static Entry aggregate(String shard, int n, String... jsons) {
        KplAggregator aggregator = new KplAggregator();
        for (String json : jsons) {
            aggregator.add("pk-" + n, json.getBytes(StandardCharsets.UTF_8));
        }
        return entry(shard, n, aggregator.toBytes());
    }

    /** The event JSON Lambda sends for these records. */
    static ObjectNode eventJson(List<Entry> entries) {
        return eventJson(ARN, entries);
    }

    /** The event JSON for these records of the stream {@code arn}. */
    static ObjectNode eventJson(String arn, List<Entry> entries) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Entry entry : entries) {
            ObjectNode record = records.addObject();
            ObjectNode kinesis = record.putObject("kinesis");
            kinesis.put("kinesisSchemaVersion", "1.0").put("partitionKey", entry.partitionKey())
                    .put("sequenceNumber", entry.sequence().toString())
                    .put("data", Base64.getEncoder().encodeToString(entry.data()));
            if (entry.arrival() instanceof Double d) {
                kinesis.put("approximateArrivalTimestamp", d);
            } else {
                kinesis.put("approximateArrivalTimestamp", entry.arrival().longValue());
            }
            record.put("eventSource", "aws:kinesis").put("eventVersion", "1.0")
                    .put("eventID", entry.shard() + ":" + entry.sequence())
                    .put("eventName", "aws:kinesis:record")
                    .put("invokeIdentityArn", "arn:aws:iam::123456789012:role/StreamIngestFunctionRole")
                    .put("awsRegion", arn.split(":")[3]).put("eventSourceARN", arn);
        }
        return event;
    }

    /** Through the Lambda runtime's own serializer, as the function receives it. */
    static KinesisEvent event(List<Entry> entries) {
        return event(eventJson(entries));
    }

    static KinesisEvent event(String arn, List<Entry> entries) {
        return event(eventJson(arn, entries));
    }

    static KinesisEvent event(ObjectNode json) {
        return SERIALIZER.fromJson(json.toString());
    }

    static String order(int i) {
        return "{\"type\":\"order\",\"order_id\":\"o-" + i + "\",\"customer_id\":\"c-" + (i % 7) + "\",\"amount\":"
                + (i * 1.5) + ",\"currency\":\"EUR\",\"created_at\":\"2026-11-25T10:00:00Z\"}";
    }

    static String customer(int i) {
        return "{\"type\":\"customer\",\"customer_id\":\"c-" + i + "\",\"name\":\"Customer " + i
                + "\",\"email\":\"c" + i + "@example.com\",\"country\":\"GB\"}";
    }

    /** Orders on odd and customers on even sequence numbers {@code from..from+count-1} of one shard. */
    static List<Entry> mixed(String shard, int from, int count) {
        List<Entry> entries = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            entries.add(entry(shard, n, n % 2 == 1 ? order(n) : customer(n)));
        }
        return entries;
    }

    // ------------------------------------------------------------------ the raw zone

    List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(l -> l.bucket(RAW).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    List<JsonNode> lines(String prefix) {
        List<JsonNode> lines = new ArrayList<>();
        for (String key : keys(prefix)) {
            byte[] body = s3.getObjectAsBytes(g -> g.bucket(RAW).key(key)).asByteArray();
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    lines.add(MAPPER.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** Each record's id (order_id or customer_id) in the raw zone, sorted. */
    List<String> rawIds() {
        return lines("raw/").stream()
                .map(node -> node.has("order_id") ? node.get("order_id").asText() : node.get("customer_id").asText())
                .sorted().toList();
    }

    /** Asserts the raw zone holds exactly the records of these entries' ids, each once. */
    void assertEachOnce(List<String> expectedIds) {
        List<String> ids = rawIds();
        assertEquals(expectedIds.stream().sorted().toList(), ids);
    }

    static List<String> ids(List<Entry> entries) {
        List<String> ids = new ArrayList<>();
        for (Entry entry : entries) {
            JsonNode node;
            try {
                node = MAPPER.readTree(entry.data());
            } catch (IOException e) {
                continue;
            }
            if (node != null && node.isObject()) {
                ids.add(node.has("order_id") ? node.get("order_id").asText() : node.get("customer_id").asText());
            }
        }
        return ids;
    }

    int objectVersions() {
        AtomicInteger versions = new AtomicInteger();
        s3.listObjectVersionsPaginator(l -> l.bucket(RAW)).versions().forEach(v -> versions.incrementAndGet());
        return versions.get();
    }

    static void assertCounts(Counts expected, StreamIngestHandler.Outcome outcome) {
        assertEquals(expected, outcome.counts());
    }

    /** A ledger store whose next advances crash the process (an Error no handler code may catch). */
    static final class CrashingStore implements CheckpointStore {
        private final CheckpointStore delegate;
        private final AtomicInteger crashes = new AtomicInteger();
        private final AtomicInteger spared = new AtomicInteger();

        CrashingStore(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        /** The next advance (a batch's pin, written before its parts) goes through; the {@code times} after it crash. */
        void crashAdvancesAfterThePin(int times) {
            spared.set(1);
            crashes.set(times);
        }

        @Override
        public Checkpoint get(String key) {
            return delegate.get(key);
        }

        @Override
        public Checkpoint advance(Checkpoint current, Map<String, String> next) {
            if (spared.getAndDecrement() <= 0 && crashes.getAndDecrement() > 0) {
                throw new Crash();
            }
            return delegate.advance(current, next);
        }
    }

    static final class Crash extends Error {
        Crash() {
            super("simulated crash after the data write, before the ledger write");
        }
    }
}
