package dev.rawzone.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.functions.stream.StreamIngestHandler;
import dev.rawzone.functions.stream.StreamIngestWiring;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Kinesis ingestion throughput and AWS calls per record, against moto_server on loopback (so absolute figures are
 * bound by the emulator, not by S3 or DynamoDB).
 * <ol>
 *   <li>records/s for one 10,000-record batch of ~1 KB JSON orders through {@link StreamIngestHandler} (decode,
 *       route, validate, write parts with If-None-Match, ledger read and conditional write), beside a baseline that
 *       only decodes the same records, gzips them and writes them in one PutObject, in the same process and run,
 *       and the same pipeline with the raw zone and ledger in memory (its own work, without the emulator);</li>
 *   <li>AWS calls per record on the happy path at batch sizes 100 and 1000 (every S3 and DynamoDB request counted
 *       by an SDK interceptor).</li>
 * </ol>
 * Run: {@code tools/benchmarks/run-stream-ingest.sh} (or {@code java -cp tools/benchmarks/target/rawzone-benchmarks.jar
 * dev.rawzone.benchmarks.StreamIngestBenchmark [repetitions]}).
 */
public final class StreamIngestBenchmark {
    private static final String RAW = "rawzone-bench-raw";
    private static final String TABLE = "rawzone-bench-checkpoints";
    private static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/rawzone-events";
    private static final BigInteger BASE = new BigInteger("49659400000000000000000000000000000000000000000000000000");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AtomicLong calls = new AtomicLong();
    private final Map<String, AtomicLong> callsByOperation = new ConcurrentHashMap<>();
    private final List<ResultLine> results = new ArrayList<>();
    private final S3Client s3;
    private final StreamIngestHandler handler;
    private final KinesisIngester inMemory;

    private StreamIngestBenchmark(Emulator emulator) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                count(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY));
        s3 = S3Client.builder().endpointOverride(emulator.endpoint()).forcePathStyle(true)
                .region(Region.of(Emulator.REGION)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.of(Emulator.REGION)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        s3.createBucket(b -> b.bucket(RAW));
        s3.putBucketVersioning(v -> v.bucket(RAW).versioningConfiguration(c -> c.status("Enabled")));
        dynamoDb.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build()));
        Map<String, String> env = new HashMap<>(emulator.environment());
        env.put("RAW_BUCKET", RAW);
        env.put("CHECKPOINT_TABLE", TABLE);
        env.put("INGEST_CONFIG", "classpath:streams.json");
        env.put("SCHEMA_LOCATION", "classpath:schemas");
        env.put("PIPELINE_VERSION", "bench");
        StreamIngestWiring wiring = StreamIngestWiring.of(env, s3,
                counted(new DynamoDbCheckpointStore(new AwsClients(env).dynamoDbJson(), TABLE)));
        handler = new StreamIngestHandler(wiring);
        inMemory = new KinesisIngester(new MemorySink(), new ShardLedgers(new MemoryCheckpoints()), wiring.classifier(),
                PartPolicy.defaults(), MAPPER);
    }

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (Emulator emulator = Emulator.start()) {
            new StreamIngestBenchmark(emulator).run(repetitions);
        }
        System.exit(0); // a client library leaves a non-daemon pool thread behind
    }

    private void run(int repetitions) {
        int records = 10_000;
        String loadBefore = HeapMeter.loadAverage();
        // Warm-up (JIT, schema loading, connections), on shards the measured runs do not use.
        ingest("shardId-900000000000", records);
        baseline("warm-up", records);

        List<Stopwatch.Lap> pipeline = new ArrayList<>();
        List<Stopwatch.Lap> memory = new ArrayList<>();
        List<Stopwatch.Lap> base = new ArrayList<>();
        long bytes = 0;
        memory(event("shardId-900000000001", 0, records));
        for (int r = 0; r < repetitions; r++) {
            KinesisEvent event = event("shardId-" + String.format("%012d", r), 0, records);
            bytes = event.getRecords().stream().mapToLong(e -> e.getKinesis().getData().remaining()).sum();
            Stopwatch watch = Stopwatch.start();
            Counts counts = handler.ingest(event, "bench-" + r).counts();
            pipeline.add(watch.lap());
            require(counts.written() == records, "every record written: " + counts);
            base.add(baseline("run-" + r, records));
            memory.add(memory(event("shardId-8" + String.format("%011d", r), 0, records)));
        }

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "records per batch: %d, mean record size: %d bytes, repetitions: %d, "
                + "load average %s before, %s after", records, bytes / records, repetitions, loadBefore,
                HeapMeter.loadAverage()));
        lines.add(line("baseline (decode, gzip, one put)", records, base));
        lines.add(line("pipeline, raw zone and ledger in memory", records, memory));
        lines.add(line("StreamIngestHandler into the emulator", records, pipeline));
        lines.add(ratios("handler / baseline", records, pipeline, base));
        lines.add(ratios("in memory / baseline", records, memory, base));
        for (int batchSize : new int[] {100, 1000}) {
            lines.add(callsPerRecord(batchSize, 10_000));
        }
        lines.add(callsPerRecordOfRetry(1000));
        lines.forEach(System.out::println);
        String group = String.format(Locale.ROOT, "%,d-record batch, %d bytes a record", records, bytes / records);
        results.add(0, result(group, "baseline (decode, gzip, one put)", true, records, bytes, base));
        results.add(1, result(group, "pipeline, raw zone and ledger in memory", false, records, bytes, memory));
        results.add(2, result(group, "StreamIngestHandler into the emulator", false, records, bytes, pipeline));
        results.forEach(ResultLine::print);
    }

    /** The happy path: {@code total} records of a fresh shard in batches of {@code batchSize}. */
    private String callsPerRecord(int batchSize, int total) {
        String shard = "shardId-1" + String.format("%011d", batchSize);
        long before = calls.get();
        Map<String, Long> beforeByOperation = callsByOperation();
        for (int from = 0; from < total; from += batchSize) {
            Counts counts = handler.ingest(event(shard, from, batchSize), "calls").counts();
            require(counts.written() == batchSize, "all written: " + counts);
        }
        long made = calls.get() - before;
        Map<String, Double> figures = ResultLine.figures("calls per record", made / (double) total,
                "records", total);
        callsByOperation().forEach((operation, count) -> {
            long byThisRun = count - beforeByOperation.getOrDefault(operation, 0L);
            if (byThisRun > 0) {
                figures.put(operation + " per record", byThisRun / (double) total);
            }
        });
        results.add(new ResultLine("stream", "AWS calls on the happy path", "batch size " + batchSize, false, figures));
        return String.format(Locale.ROOT, "batch size %d: %d AWS calls for %d records = %.4f calls per record",
                batchSize, made, total, made / (double) total);
    }

    /** The same batches delivered again (a replay): duplicates from the ledger alone. */
    private String callsPerRecordOfRetry(int batchSize) {
        String shard = "shardId-1" + String.format("%011d", batchSize);
        long before = calls.get();
        Counts counts = handler.ingest(event(shard, 0, batchSize), "again").counts();
        require(counts.duplicates() == batchSize, "all duplicates: " + counts);
        long made = calls.get() - before;
        results.add(new ResultLine("stream", "AWS calls on the happy path", "batch size " + batchSize
                + " delivered again", false, ResultLine.figures("calls per record", made / (double) batchSize,
                "records", batchSize)));
        return String.format(Locale.ROOT, "batch size %d delivered again: %d AWS call(s), %d duplicates", batchSize,
                made, counts.duplicates());
    }

    /** Decode each record, gzip them all as JSON Lines, one PutObject: the least any pipeline must do. */
    private Stopwatch.Lap baseline(String name, int records) {
        KinesisEvent event = event("shardId-base", 0, records);
        Stopwatch watch = Stopwatch.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
                ByteBuffer data = record.getKinesis().getData().duplicate();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                JsonNode node = MAPPER.readTree(bytes);
                gzip.write(MAPPER.writeValueAsBytes(node));
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(p -> p.bucket(RAW).key("baseline/" + name + ".jsonl.gz"), RequestBody.fromBytes(out.toByteArray()));
        return watch.lap();
    }

    /** The store's calls, counted as the SDK clients' are: it calls DynamoDB without one. */
    private CheckpointStore counted(CheckpointStore store) {
        return new CheckpointStore() {
            @Override
            public Checkpoint get(String key) {
                count("DynamoDb GetItem");
                return store.get(key);
            }

            @Override
            public Checkpoint advance(Checkpoint current, Map<String, String> next) {
                count("DynamoDb PutItem");
                return store.advance(current, next);
            }
        };
    }

    private void count(String operation) {
        calls.incrementAndGet();
        callsByOperation.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    private Map<String, Long> callsByOperation() {
        Map<String, Long> snapshot = new TreeMap<>();
        callsByOperation.forEach((operation, count) -> snapshot.put(operation, count.get()));
        return snapshot;
    }

    /** Medians over the repetitions of this run. */
    private static ResultLine result(String group, String phase, boolean baseline, int records, long bytes,
                                     List<Stopwatch.Lap> laps) {
        return new ResultLine("stream", group, phase, baseline, ResultLine.figures(
                "records/s", median(rates(records, laps)),
                "CPU JVM ms a batch", median(cpu(laps)) * 1000,
                "CPU emulator ms a batch", median(laps.stream().map(Stopwatch.Lap::emulatorCpuSeconds).toList()) * 1000,
                "records", records, "bytes", bytes));
    }

    private static String line(String phase, int records, List<Stopwatch.Lap> laps) {
        List<Double> rates = rates(records, laps);
        List<Double> cpu = cpu(laps);
        List<Double> emulator = laps.stream().map(Stopwatch.Lap::emulatorCpuSeconds).toList();
        return String.format(Locale.ROOT, "%-42s median %6.0f records/s (min %6.0f, max %6.0f); CPU a batch: JVM "
                + "%4.0f ms (min %4.0f, max %4.0f), emulator %4.0f ms", phase + ":", median(rates), min(rates),
                max(rates), median(cpu) * 1000, min(cpu) * 1000, max(cpu) * 1000, median(emulator) * 1000);
    }

    /** Throughput of {@code phase} relative to {@code baseline}'s: by wall time, by JVM and by JVM + emulator CPU. */
    private static String ratios(String what, int records, List<Stopwatch.Lap> phase, List<Stopwatch.Lap> baseline) {
        return String.format(Locale.ROOT, "%s (medians): %.2f by wall time, %.2f by JVM CPU time, %.2f by JVM + "
                + "emulator CPU time", what, median(rates(records, phase)) / median(rates(records, baseline)),
                median(cpu(baseline)) / median(cpu(phase)), median(allCpu(baseline)) / median(allCpu(phase)));
    }

    private static List<Double> allCpu(List<Stopwatch.Lap> laps) {
        return laps.stream().map(lap -> lap.cpuSeconds() + lap.emulatorCpuSeconds()).toList();
    }

    private static List<Double> rates(int records, List<Stopwatch.Lap> laps) {
        return laps.stream().map(lap -> records / lap.seconds()).toList();
    }

    private static List<Double> cpu(List<Stopwatch.Lap> laps) {
        return laps.stream().map(Stopwatch.Lap::cpuSeconds).toList();
    }

    /** The handler's pipeline over an in-memory sink and ledger: what it costs without any storage call. */
    private Stopwatch.Lap memory(KinesisEvent event) {
        List<StreamRecord> records = new ArrayList<>(event.getRecords().size());
        Stopwatch watch = Stopwatch.start();
        for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
            ByteBuffer data = record.getKinesis().getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            String eventId = record.getEventID();
            records.add(new StreamRecord(record.getEventSourceARN(), eventId.substring(0, eventId.indexOf(':')),
                    record.getKinesis().getSequenceNumber(), record.getKinesis().getPartitionKey(), bytes,
                    record.getKinesis().getApproximateArrivalTimestamp().toInstant()));
        }
        Counts counts = inMemory.ingest(records, new RunContext("bench", "memory")).counts();
        require(counts.written() == records.size(), "every record written in memory: " + counts);
        return watch.lap();
    }

    private void ingest(String shard, int records) {
        handler.ingest(event(shard, 0, records), "warm-up");
    }

    /** A batch as the runtime hands it to the handler: records {@code from..from+count-1} of a shard. */
    private static KinesisEvent event(String shard, int from, int count) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String sequence = BASE.add(BigInteger.valueOf(i + 1L)).toString();
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setSequenceNumber(sequence);
            kinesis.setPartitionKey("c-" + (i % 97));
            kinesis.setData(ByteBuffer.wrap(order(i).getBytes(StandardCharsets.UTF_8)));
            kinesis.setApproximateArrivalTimestamp(new Date(1_795_600_800_000L + i));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID(shard + ":" + sequence);
            record.setEventSourceARN(ARN);
            record.setEventSource("aws:kinesis");
            record.setAwsRegion(Emulator.REGION);
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    /** An order of about 1 KB. */
    private static String order(int i) {
        String head = "{\"type\":\"order\",\"order_id\":\"o-" + i + "\",\"customer_id\":\"c-" + (i % 97)
                + "\",\"amount\":" + (i % 1000) + ".25,\"currency\":\"EUR\",\"created_at\":\"2026-11-25T10:00:00Z\","
                + "\"note\":\"";
        StringBuilder note = new StringBuilder();
        while (head.length() + note.length() + 2 < 1024) {
            note.append((char) ('a' + (i + note.length()) % 26));
        }
        return head + note + "\"}";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
