package dev.rawzone.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rebuild.RebuildUnits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static dev.rawzone.benchmarks.S3IngestBenchmark.expect;
import static dev.rawzone.benchmarks.S3IngestBenchmark.mib;
import static dev.rawzone.benchmarks.S3IngestBenchmark.seconds;

/**
 * Throughput and memory of the rebuild replay mode (issue 10), not a test: generates at least {@code --json-mb} MiB
 * of JSON Lines {@code orders} as one gzip object, ingests it with the real {@link S3ObjectIngester} into a raw
 * bucket on the emulator (generation v1, timed), publishes {@code orders/v2} (v1 plus an optional field), then
 * measures in the same JVM, one after the other:
 * <ol>
 *   <li><b>baseline</b>: every v1 part read back (GET + gunzip + line split), nothing validated or written;</li>
 *   <li><b>rebuild</b>: {@link RebuildUnits} through {@link ReplayEngine#run} over the whole raw zone into v2.</li>
 * </ol>
 * Prints wall time, MiB/s of JSON Lines, records/s, parts, heap and GC (see {@link HeapMeter}) per phase beside the
 * ingest's, then the Markdown rows for {@code BENCHMARKS.md}.
 */
public final class RebuildBenchmark {
    private static final long MIB = 1024 * 1024;
    private static final String LANDING_BUCKET = "rawzone-bench-landing";
    private static final String RAW_BUCKET = "rawzone-bench-raw";
    private static final String SCHEMA_BUCKET = "rawzone-bench-schemas";
    private static final long SEED = 20261202L;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** One measured phase. */
    private record Result(String phase, long jsonBytes, long records, long parts, HeapMeter.Reading reading) {
    }

    public static void main(String[] args) throws Exception {
        long jsonMib = 1024;
        if (args.length == 2 && args[0].equals("--json-mb")) {
            jsonMib = Long.parseLong(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: RebuildBenchmark [--json-mb N (default 1024)]");
            System.exit(2);
        }
        System.exit(new RebuildBenchmark().run(jsonMib) ? 0 : 1);
    }

    private boolean run(long jsonMib) throws IOException {
        log("JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors, arguments "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                + "; load average " + HeapMeter.loadAverage());
        Path dir = Files.createTempDirectory("rawzone-rebuild-bench-");
        Path file = dir.resolve("orders-" + jsonMib + "mb-json.jsonl.gz");
        List<String> problems = new ArrayList<>();
        try (HeapMeter meter = new HeapMeter(Duration.ofMillis(50)); Emulator emulator = Emulator.start()) {
            log(meter.describeHeap());
            OrdersFileGenerator.Generated generated = new OrdersFileGenerator(SEED, 6).writeJson(file, jsonMib * MIB);
            log(String.format(Locale.ROOT, "generated %s gzip, %s JSON Lines, %,d records",
                    mib(generated.compressedBytes()), mib(generated.uncompressedBytes()), generated.records()));

            S3Client s3 = new AwsClients(emulator.environment()).s3();
            for (String bucket : List.of(LANDING_BUCKET, RAW_BUCKET, SCHEMA_BUCKET)) {
                s3.createBucket(b -> b.bucket(bucket));
                s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
            }
            ObjectMapper mapper = new ObjectMapper();
            byte[] v1 = resource("schemas/orders/v1.json");
            publishSchema(s3, 1, v1);
            String key = "orders/bench/" + file.getFileName();
            CompleteMultipartUploadResponse uploaded = S3IngestBenchmark.upload(s3, LANDING_BUCKET, file, key, 64 * MIB);
            ObjectNotice notice = new ObjectNotice(LANDING_BUCKET, key, Optional.of(uploaded.versionId()),
                    Optional.of(uploaded.eTag().replace("\"", "")), generated.compressedBytes(), Optional.empty());
            Files.delete(file);

            Routing routing = Routing.parse(new String(resource("ingest.json"), java.nio.charset.StandardCharsets.UTF_8));
            ConditionalSink raw = new S3ConditionalSink(s3, RAW_BUCKET);
            List<Result> results = new ArrayList<>();

            HeapMeter.Phase phase = meter.begin();
            ObjectReport ingest = new S3ObjectIngester(s3, raw, RAW_BUCKET, routing, catalogue(s3),
                    PartPolicy.defaults(), ReaderLimits.defaults(), mapper)
                    .ingest(notice, new RunContext("bench", "bench-ingest"));
            HeapMeter.Reading ingestReading = phase.end();
            Counts ingested = ingest.counts();
            expect(problems, "ingest outcome", ObjectOutcome.INGESTED, ingest.outcome());
            expect(problems, "ingest records written", generated.records(), ingested.written());
            results.add(report(new Result("ingest into v1: `S3ObjectIngester.ingest`", generated.uncompressedBytes(),
                    ingested.written(), ingest.dataKeys().size(), ingestReading)));

            publishSchema(s3, 2, versionTwo(mapper, v1));
            List<S3Object> v1Parts = s3.listObjectsV2Paginator(l -> l.bucket(RAW_BUCKET).prefix("raw/")).contents()
                    .stream().toList();

            phase = meter.begin();
            long[] read = readParts(s3, v1Parts);
            Result baseline = report(new Result("baseline: every v1 part GET + gunzip + line split", read[1], read[0],
                    v1Parts.size(), phase.end()));
            results.add(baseline);
            expect(problems, "baseline records", generated.records(), read[0]);
            expect(problems, "baseline JSON Lines bytes", generated.uncompressedBytes(), read[1]);

            phase = meter.begin();
            ReplayReport rebuild = new ReplayEngine(new RebuildUnits(raw, catalogue(s3), routing, mapper),
                    new ReplayManifests(raw, mapper)).run(new ReplaySelection(Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), false, Optional.of(2)),
                    ReplayRun.of("bench-rebuild", ReplayMode.REBUILD, false, "bench"), TimeBudget.unlimited(),
                    ReplayProgress.silent());
            HeapMeter.Reading rebuildReading = phase.end();
            Counts rebuilt = rebuild.totals();
            log("  rebuild: units by status " + rebuild.byStatus() + ", counts " + rebuilt.asMap()
                    + ", manifest " + rebuild.manifest());
            results.add(report(new Result("rebuild into v2: `RebuildUnits` through `ReplayEngine.run`",
                    generated.uncompressedBytes(), rebuilt.written(), rebuild.byStatus().getOrDefault(UnitStatus.DONE, 0),
                    rebuildReading)));
            expect(problems, "rebuild units DONE", v1Parts.size(), rebuild.byStatus().getOrDefault(UnitStatus.DONE, 0));
            expect(problems, "rebuild records written", generated.records(), rebuilt.written());
            expect(problems, "rebuild problems", 0, rebuild.problems().size());
            long v2Parts = s3.listObjectsV2Paginator(l -> l.bucket(RAW_BUCKET).prefix("raw/s3/orders/schema=v2/"))
                    .contents().stream().count();
            expect(problems, "v2 parts", (long) v1Parts.size(), v2Parts);

            printMarkdown(generated, results);
            printResultLines(generated, results);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        if (problems.isEmpty()) {
            log("all checks passed");
            return true;
        }
        problems.forEach(p -> log("CHECK FAILED: " + p));
        return false;
    }

    private static SchemaCatalogue catalogue(S3Client s3) {
        return new SchemaCatalogue(SchemaSources.fromLocation("s3://" + SCHEMA_BUCKET + "/schemas", () -> s3));
    }

    private static void publishSchema(S3Client s3, int version, byte[] schema) {
        s3.putObject(p -> p.bucket(SCHEMA_BUCKET).key("schemas/orders/v" + version + ".json"),
                RequestBody.fromBytes(schema));
    }

    /** orders/v1 plus one optional field: every v1 record is valid under it. */
    private static byte[] versionTwo(ObjectMapper mapper, byte[] v1) throws IOException {
        ObjectNode schema = (ObjectNode) mapper.readTree(v1);
        schema.put("$id", "https://rawzone.dev/schemas/orders/v2.json");
        ((ObjectNode) schema.get("properties")).putObject("loyalty_tier").put("type", "string");
        return mapper.writeValueAsBytes(schema);
    }

    /** Records and JSON Lines bytes of every part: GET, gunzip, newlines counted; nothing parsed or kept. */
    private static long[] readParts(S3Client s3, List<S3Object> parts) throws IOException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        long lines = 0;
        long bytes = 0;
        for (S3Object part : parts) {
            try (InputStream in = new GZIPInputStream(s3.getObject(g -> g.bucket(RAW_BUCKET).key(part.key())),
                    READ_BUFFER_BYTES)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        return new long[] {lines, bytes};
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RebuildBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static Result report(Result result) {
        HeapMeter.Reading r = result.reading();
        double seconds = seconds(r.wallNanos());
        log(String.format(Locale.ROOT, "%s: %.1f s, %.1f MiB/s JSON Lines, %,d records, %,.0f records/s, %d parts"
                        + "%n    heap: pool peaks summed %s, max sampled used %s, max after GC %s; GC %d collections,"
                        + " %d ms; CPU: JVM %.1f s, emulator %.1f s; load average at end %s; emulator RSS %s",
                result.phase(), seconds, result.jsonBytes() / (double) MIB / seconds, result.records(),
                result.records() / seconds, result.parts(), mib(r.poolPeakSum()), mib(r.sampledMax()),
                r.afterGcMax() < 0 ? "(no collection)" : mib(r.afterGcMax()), r.gcCount(), r.gcMillis(),
                seconds(r.jvmCpuNanos()), seconds(r.childCpuNanos()), r.loadAverage(), mib(r.childRssBytes())));
        return result;
    }

    private static void printMarkdown(OrdersFileGenerator.Generated generated, List<Result> results) {
        String data = String.format(Locale.ROOT, "%.0f / %.0f MiB", generated.compressedBytes() / (double) MIB,
                generated.uncompressedBytes() / (double) MIB);
        System.out.println();
        System.out.println("| data (gzip / JSON Lines) | phase | records | parts | wall | MiB/s JSON Lines | records/s "
                + "| CPU: JVM / emulator | peak heap: sampled / after a GC | GCs (time) |");
        System.out.println("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (Result result : results) {
            HeapMeter.Reading r = result.reading();
            double seconds = seconds(r.wallNanos());
            System.out.println(String.format(Locale.ROOT,
                    "| %s | %s | %,d | %d | %.1f s | %.1f | %,.0f | %.1f s / %.1f s | %.0f MiB / %s | %d (%.1f s) |",
                    data, result.phase(), result.records(), result.parts(), seconds,
                    result.jsonBytes() / (double) MIB / seconds, result.records() / seconds, seconds(r.jvmCpuNanos()),
                    seconds(r.childCpuNanos()), r.sampledMax() / (double) MIB,
                    r.afterGcMax() < 0 ? "no GC" : String.format(Locale.ROOT, "%.0f MiB", r.afterGcMax() / (double) MIB),
                    r.gcCount(), r.gcMillis() / 1000.0));
        }
    }

    /** The machine-readable lines {@code ./ingest bench} reads; the baseline is the read-back of the v1 parts. */
    private static void printResultLines(OrdersFileGenerator.Generated generated, List<Result> results) {
        String group = String.format(Locale.ROOT, "%.0f MiB gzip, %.0f MiB JSON Lines",
                generated.compressedBytes() / (double) MIB, generated.uncompressedBytes() / (double) MIB);
        for (Result result : results) {
            HeapMeter.Reading r = result.reading();
            double seconds = seconds(r.wallNanos());
            Map<String, Double> figures = ResultLine.figures("MiB/s JSON Lines", result.jsonBytes() / (double) MIB / seconds,
                    "records/s", result.records() / seconds, "wall s", seconds, "CPU JVM s", seconds(r.jvmCpuNanos()),
                    "CPU emulator s", seconds(r.childCpuNanos()), "parts", result.parts(),
                    "max heap after a GC MiB", r.afterGcMax() / (double) MIB);
            figures.values().removeIf(v -> v < 0);
            new ResultLine("rebuild", group, result.phase(), result.phase().startsWith("baseline"), figures).print();
        }
    }

    private static void log(String message) {
        System.out.println("[rebuild-bench] " + message);
        System.out.flush();
    }
}
