package dev.rawzone.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.PullStatus;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.SourceReport;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.api.SampleApi;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of the pull path (issue 5), not a test: the testkit's sample API on loopback serves
 * {@code --records} contacts ({@code --page-size} to a page, next-token pagination), and this JVM measures, one
 * after the other against the same API:
 * <ol>
 *   <li><b>baseline</b>: {@link SourcePuller#fetchOnly}: the same requests (HTTP, bearer token, JSON parse,
 *       pagination), nothing staged, validated, written or committed;</li>
 *   <li><b>pull, storage in memory</b>: {@link SourcePuller#pull} with the raw zone and the checkpoints in this
 *       JVM's memory (same conditional semantics): what the pull itself costs (staging, validation, gzip, seen set);</li>
 *   <li><b>pull</b>: {@link SourcePuller#pull} from an empty checkpoint, wired as PullIngestFunction wires it, into
 *       a raw bucket and a checkpoint table on the emulator (moto_server): per page, the page log PUT, the data part
 *       PUT (validated, gzip JSON Lines) and the conditional checkpoint write.</li>
 * </ol>
 * A smaller warm-up of both runs first, on another source name. Prints pages/s and records/s per phase and the
 * Markdown rows for {@code BENCHMARKS.md}.
 */
public final class PullIngestBenchmark {
    private static final String RAW_BUCKET = "rawzone-bench-raw";
    private static final String TABLE = "rawzone-bench-checkpoints";
    private static final String TOKEN = "bench-token";
    private static final Instant START = Instant.parse("2026-11-25T00:00:00Z");

    private PullIngestBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int records = 100_000;
        int pageSize = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--page-size" -> pageSize = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: PullIngestBenchmark [--records N] [--page-size N]");
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        try (Emulator emulator = Emulator.start(); SampleApi api = SampleApi.start(TOKEN);
             SampleApi warmupApi = SampleApi.start(TOKEN)) {
            AwsClients clients = new AwsClients(Map.of("AWS_ENDPOINT_URL", emulator.endpoint().toString(),
                    "AWS_REGION", Emulator.REGION, "AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY));
            S3Client s3 = clients.s3();
            DynamoDbClient dynamoDb = clients.dynamoDb();
            s3.createBucket(b -> b.bucket(RAW_BUCKET));
            s3.putBucketVersioning(v -> v.bucket(RAW_BUCKET).versioningConfiguration(c -> c.status("Enabled")));
            dynamoDb.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            api.seed(records, START, Duration.ofMillis(100));
            warmupApi.seed(Math.min(records, 10 * pageSize), START, Duration.ofMillis(100));

            SourcePuller puller = new SourcePuller(new DynamoDbCheckpointStore(clients.dynamoDbJson(), TABLE),
                    new S3ConditionalSink(s3, RAW_BUCKET),
                    PageFetcher.create(Clock.systemUTC(), Sleeper.real(), new SplittableRandom(1)),
                    reference -> TOKEN,
                    new SchemaCatalogue(SchemaSources.fromLocation("classpath:schemas", () -> s3)),
                    PartPolicy.defaults(), mapper, Clock.systemUTC(), SourcePuller.DEFAULT_SEEN_CAP);
            PullSource warmup = source(warmupApi, "warmup", pageSize, mapper);
            PullSource contacts = source(api, "contacts", pageSize, mapper);

            System.out.printf(Locale.ROOT, "pull benchmark: %,d contacts, %,d to a page, sample API %s, emulator %s, "
                    + "%d cores%n", records, pageSize, api.endpoint(), emulator.endpoint(),
                    Runtime.getRuntime().availableProcessors());
            puller.fetchOnly(warmup, TimeBudget.unlimited());
            puller.pull(warmup, TimeBudget.unlimited(), new RunContext("bench", "warmup"));
            String loadBefore = HeapMeter.loadAverage();

            Stopwatch watch = Stopwatch.start();
            SourcePuller.FetchOnly baseline = puller.fetchOnly(contacts, TimeBudget.unlimited());
            Stopwatch.Lap baselineLap = watch.lap();

            SourcePuller inMemory = new SourcePuller(new MemoryCheckpoints(), new MemorySink(),
                    PageFetcher.create(Clock.systemUTC(), Sleeper.real(), new SplittableRandom(1)),
                    reference -> TOKEN,
                    new SchemaCatalogue(SchemaSources.fromLocation("classpath:schemas", () -> s3)),
                    PartPolicy.defaults(), mapper, Clock.systemUTC(), SourcePuller.DEFAULT_SEEN_CAP);
            inMemory.pull(warmup, TimeBudget.unlimited(), new RunContext("bench", "warmup"));
            watch = Stopwatch.start();
            SourceReport memory = inMemory.pull(contacts, TimeBudget.unlimited(), new RunContext("bench", "memory"));
            Stopwatch.Lap memoryLap = watch.lap();

            watch = Stopwatch.start();
            SourceReport pull = puller.pull(contacts, TimeBudget.unlimited(), new RunContext("bench", "pull"));
            Stopwatch.Lap pullLap = watch.lap();

            Counts counts = pull.counts();
            if (pull.status() != PullStatus.COMPLETE || counts.written() != records || !counts.addsUp()
                    || baseline.records() != records || memory.counts().written() != records) {
                throw new IllegalStateException("the runs did not read and write every record once: baseline "
                        + baseline + ", pull " + pull);
            }
            System.out.println();
            System.out.println("| phase | pages | records | seconds | pages/s | records/s | JVM CPU s | emulator CPU s |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            row("baseline: fetch the same pages, write nothing", baseline.pages(), baseline.records(), baselineLap);
            row("pull, raw zone and checkpoints in memory", memory.pages(), memory.counts().written(), memoryLap);
            row("pull: page log + part + checkpoint per page, on the emulator", pull.pages(), counts.written(),
                    pullLap);
            System.out.printf(Locale.ROOT, "%nrecords/s against the baseline's: in memory %.2f, on the emulator %.2f; "
                    + "%d data parts, %d requests; load average %s before, %s after%n",
                    baselineLap.seconds() / memoryLap.seconds(), baselineLap.seconds() / pullLap.seconds(),
                    pull.dataParts(), pull.requests(), loadBefore, HeapMeter.loadAverage());
            String group = String.format(Locale.ROOT, "%,d contacts, %,d to a page", records, pageSize);
            result(group, "baseline: fetch the same pages, write nothing", true, baseline.records(), baselineLap);
            result(group, "pull, raw zone and checkpoints in memory", false, memory.counts().written(), memoryLap);
            result(group, "pull: page log + part + checkpoint per page, on the emulator", false, counts.written(),
                    pullLap);
        }
    }

    private static void row(String phase, int pages, long records, Stopwatch.Lap lap) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f | %.1f | %,.0f | %.2f | %.2f |%n", phase, pages,
                records, lap.seconds(), pages / lap.seconds(), records / lap.seconds(), lap.cpuSeconds(),
                lap.emulatorCpuSeconds());
    }

    private static void result(String group, String phase, boolean baseline, long records, Stopwatch.Lap lap) {
        new ResultLine("pull", group, phase, baseline, ResultLine.figures("records/s", records / lap.seconds(),
                "wall s", lap.seconds(), "CPU JVM s", lap.cpuSeconds(), "CPU emulator s", lap.emulatorCpuSeconds(),
                "records", records)).print();
    }

    private static PullSource source(SampleApi api, String name, int pageSize, ObjectMapper mapper) {
        String json = "{\"sources\": [{\"name\": \"" + name + "\", \"dataset\": \"contacts\", \"endpoint\": \""
                + api.endpoint() + "\", \"auth\": {\"type\": \"bearer\", \"secret\": \"secretsmanager:bench\"},"
                + " \"cursor\": {\"kind\": \"timestamp\", \"field\": \"updated_at\", \"param\": \"updated_since\","
                + " \"lookback\": \"PT5M\"}, \"pagination\": {\"style\": \"next_token\", \"param\": \"page_token\","
                + " \"token_field\": \"next_page_token\", \"has_more_field\": \"has_more\"}, \"page_size\": " + pageSize
                + "}]}";
        return PullSources.parse(json, mapper).all().get(0);
    }
}
