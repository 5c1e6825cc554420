package dev.rawzone.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReadResult;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.read.RecordReader;
import dev.rawzone.core.read.RecordReaders;
import dev.rawzone.core.read.SourceFormat;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Memory and throughput of the S3 push path (issue 3), not a test: generates a gzip JSON Lines object of
 * {@code orders} of at least {@code --size-mb} MiB compressed on local disk, uploads it to a versioned landing
 * bucket on the emulator with a streamed multipart upload, then measures in this JVM, one after the other:
 * <ol>
 *   <li><b>baseline</b>: the local file through {@link RecordReaders} (gunzip + JSON parse), records counted;</li>
 *   <li><b>GET only</b>: the object drained from the emulator and discarded, to show what the emulator serves;</li>
 *   <li><b>ingest, PUTs left out</b>: {@link S3ObjectIngester#ingest} with a {@link DiscardingSink} as the raw
 *       zone: GET, parse, validate, serialise and gzip parts, but nothing sent;</li>
 *   <li><b>ingest</b>: {@link S3ObjectIngester#ingest} on the object, wired as the s3-ingest handler wires it
 *       (default part policy), into a raw bucket on the same emulator.</li>
 * </ol>
 * Prints wall time, MiB/s, records/s, heap (see {@link HeapMeter}) and GC per phase, then the Markdown rows for
 * {@code BENCHMARKS.md}. Run it with a small fixed heap, e.g. {@code java -Xmx512m}: the figures are meant to
 * show that memory does not grow with the object.
 */
public final class S3IngestBenchmark {
    private static final long MIB = 1024 * 1024;
    private static final String LANDING_BUCKET = "rawzone-bench-landing";
    private static final String RAW_BUCKET = "rawzone-bench-raw";
    private static final long SEED = 20261125L;
    private static final int DRAIN_BUFFER_BYTES = 64 * 1024;

    private record Options(long sizeMib, int gzipLevel, long uploadPartMib, Optional<Long> repeatMib,
                           Optional<Path> dir) {
        static Options parse(String[] args) {
            long size = 1024;
            int level = 6;
            long part = 64;
            Optional<Long> repeat = Optional.empty();
            Optional<Path> dir = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw usage("missing value after " + arg);
                }
                String value = args[++i];
                switch (arg) {
                    case "--size-mb" -> size = Long.parseLong(value);
                    case "--gzip-level" -> level = Integer.parseInt(value);
                    case "--upload-part-mb" -> part = Long.parseLong(value);
                    case "--repeat-mb" -> repeat = Optional.of(Long.parseLong(value));
                    case "--dir" -> dir = Optional.of(Path.of(value));
                    default -> throw usage("unknown option " + arg);
                }
            }
            if (size < 1 || part < 5) {
                throw usage("--size-mb must be at least 1 and --upload-part-mb at least 5 (S3's minimum part)");
            }
            if (repeat.isPresent() && (repeat.get() < 1 || repeat.get() > size)) {
                throw usage("--repeat-mb must be between 1 and --size-mb");
            }
            return new Options(size, level, part, repeat, dir);
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "\nusage: S3IngestBenchmark [--size-mb N (default 1024)] "
                    + "[--gzip-level 1..9 (default 6)] [--upload-part-mb N (default 64)] "
                    + "[--repeat-mb N: generate one gzip member of N MiB and repeat it up to --size-mb, for objects "
                    + "too large to generate record by record] [--dir DIR for the generated file (default: a new temp dir)]");
        }
    }

    /** One measured phase. */
    private record Result(String phase, long compressedBytes, long uncompressedBytes, long records,
                          HeapMeter.Reading reading) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new S3IngestBenchmark().run(options) ? 0 : 1);
    }

    private boolean run(Options options) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        log("JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + runtime.availableProcessors() + " processors, arguments "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                + "; load average " + HeapMeter.loadAverage());
        Path dir = options.dir().isPresent() ? Files.createDirectories(options.dir().get())
                : Files.createTempDirectory("rawzone-s3-bench-");
        Path file = dir.resolve("orders-" + options.sizeMib() + "mb.jsonl.gz");
        Emulator[] emulator = new Emulator[1];
        Thread cleanup = new Thread(() -> cleanUp(emulator[0], file, options.dir().isEmpty() ? dir : null));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (HeapMeter meter = new HeapMeter(Duration.ofMillis(50))) {
            log(meter.describeHeap());

            log("generating >= " + options.sizeMib() + " MiB of gzip JSON Lines (level " + options.gzipLevel()
                    + options.repeatMib().map(m -> "; one member of >= " + m + " MiB, repeated").orElse("") + ") at "
                    + file);
            long started = System.nanoTime();
            OrdersFileGenerator generator = new OrdersFileGenerator(SEED, options.gzipLevel());
            OrdersFileGenerator.Generated generated = options.repeatMib().isPresent()
                    ? generator.writeRepeated(file, options.repeatMib().get() * MIB, options.sizeMib() * MIB)
                    : generator.write(file, options.sizeMib() * MIB);
            log(String.format(Locale.ROOT, "generated %s compressed, %s uncompressed (%.2fx), %,d records in %.1f s",
                    mib(generated.compressedBytes()), mib(generated.uncompressedBytes()),
                    (double) generated.uncompressedBytes() / generated.compressedBytes(), generated.records(),
                    seconds(System.nanoTime() - started)));

            emulator[0] = Emulator.start();
            log("emulator (moto_server) at " + emulator[0].endpoint());
            Map<String, String> env = environment(emulator[0]);
            S3Client s3 = new AwsClients(env).s3();
            for (String bucket : List.of(LANDING_BUCKET, RAW_BUCKET)) {
                s3.createBucket(b -> b.bucket(bucket));
                s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
            }
            String key = "orders/bench/" + file.getFileName();
            started = System.nanoTime();
            CompleteMultipartUploadResponse uploaded;
            try (S3Client patient = patientClient(emulator[0])) {
                uploaded = upload(patient, LANDING_BUCKET, file, key, options.uploadPartMib() * MIB);
            }
            double uploadSeconds = seconds(System.nanoTime() - started);
            log(String.format(Locale.ROOT, "uploaded s3://%s/%s (version %s) in %.1f s, %.1f MiB/s (setup, not measured);"
                            + " emulator RSS %s", LANDING_BUCKET, key, uploaded.versionId(), uploadSeconds,
                    generated.compressedBytes() / (double) MIB / uploadSeconds, mib(HeapMeter.childRssBytes())));
            long objectSize = s3.headObject(h -> h.bucket(LANDING_BUCKET).key(key).versionId(uploaded.versionId()))
                    .contentLength();
            if (objectSize != generated.compressedBytes()) {
                throw new IllegalStateException("uploaded object has " + objectSize + " bytes, file has "
                        + generated.compressedBytes());
            }

            List<Result> results = new ArrayList<>();
            List<String> problems = new ArrayList<>();

            Result baseline = baseline(meter, generated);
            results.add(baseline);
            report(baseline);
            expect(problems, "baseline records", generated.records(), baseline.records());

            Result drain = drain(meter, s3, key, uploaded.versionId(), generated);
            results.add(drain);
            report(drain);
            expect(problems, "GET bytes", generated.compressedBytes(), drain.compressedBytes());

            ObjectNotice notice = new ObjectNotice(LANDING_BUCKET, key, Optional.of(uploaded.versionId()),
                    Optional.of(uploaded.eTag().replace("\"", "")), objectSize, Optional.empty());

            DiscardingSink discarding = new DiscardingSink();
            Result dry = ingest(meter, wire(env, Optional.of(discarding)), notice, generated,
                    "ingest, PUTs left out (parts built, then discarded)", problems);
            results.add(dry);
            log("  built and discarded: " + discarding);

            Result ingest = ingest(meter, wire(env, Optional.empty()), notice, generated,
                    "ingest: `S3ObjectIngester.ingest`", problems);
            results.add(ingest);
            long[] raw = rawZone(s3, "raw/");
            expect(problems, "raw zone parts, as built without PUT", discarding.objects("raw/"), raw[0]);
            expect(problems, "raw zone bytes, as built without PUT", discarding.bytes("raw/"), raw[1]);
            log(String.format(Locale.ROOT, "raw zone: %d objects, %s", raw[0], mib(raw[1])));

            printMarkdown(options, generated, results, raw);
            printResultLines(s3, generated, results);
            if (problems.isEmpty()) {
                log("all checks passed");
                return true;
            }
            problems.forEach(p -> log("CHECK FAILED: " + p));
            return false;
        } finally {
            cleanUp(emulator[0], file, options.dir().isEmpty() ? dir : null);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** The environment the s3-ingest function would get from template.yaml, pointed at the emulator. */
    private static Map<String, String> environment(Emulator emulator) {
        Map<String, String> env = new HashMap<>();
        env.put("RAW_BUCKET", RAW_BUCKET);
        env.put("INGEST_CONFIG", "classpath:ingest.json");
        env.put("SCHEMA_LOCATION", "classpath:schemas");
        env.put("PIPELINE_VERSION", "bench");
        env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
        env.put("AWS_REGION", Emulator.REGION);
        env.put("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY);
        return env;
    }

    /**
     * The same wiring as {@code S3IngestWiring.fromEnvironment} in functions/s3-ingest; with {@code sink}, parts
     * and manifest go there instead of the raw bucket.
     */
    private static S3ObjectIngester wire(Map<String, String> env, Optional<ConditionalSink> sink) {
        IngestSettings settings = IngestSettings.fromEnvironment(env);
        S3Client s3 = new AwsClients(env).s3();
        ObjectMapper mapper = new ObjectMapper();
        Routing routing = Routing.load(settings.ingestConfig(), () -> s3);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(settings.schemaLocation(), () -> s3));
        ConditionalSink raw = sink.orElseGet(() -> new S3ConditionalSink(s3, settings.rawBucket()));
        return new S3ObjectIngester(s3, raw, settings.rawBucket(), routing, catalogue, settings.partPolicy(),
                ReaderLimits.defaults(), mapper);
    }

    private static Result ingest(HeapMeter meter, S3ObjectIngester ingester, ObjectNotice notice,
                                 OrdersFileGenerator.Generated generated, String name, List<String> problems) {
        RunContext run = new RunContext("bench", "bench-" + UUID.randomUUID());
        HeapMeter.Phase phase = meter.begin();
        ObjectReport report = ingester.ingest(notice, run);
        HeapMeter.Reading reading = phase.end();
        Counts counts = report.counts();
        Result result = new Result(name, generated.compressedBytes(), generated.uncompressedBytes(), counts.in(),
                reading);
        report(result);
        log("  report: outcome " + report.outcome() + ", counts " + counts.asMap() + ", " + report.dataKeys().size()
                + " data parts, " + report.quarantineKeys().size() + " quarantine parts"
                + report.reason().map(r -> ", reason: " + r).orElse(""));
        String which = name + ": ";
        expect(problems, which + "outcome", ObjectOutcome.INGESTED, report.outcome());
        expect(problems, which + "records in", generated.records(), counts.in());
        expect(problems, which + "records written", generated.records(), counts.written());
        expect(problems, which + "quarantined + duplicates + failed", 0L,
                counts.quarantined() + counts.duplicates() + counts.failed());
        expect(problems, which + "counts add up", true, counts.addsUp());
        return result;
    }

    /**
     * An S3 client for the upload only, that waits as long as the emulator takes to answer: moto joins a multipart
     * upload's parts in memory when it is completed, which for a 4 GiB object takes longer than the SDK's default
     * 30 s socket timeout, and a retry of the completion then finds the upload gone ({@code NoSuchUpload}).
     */
    private static S3Client patientClient(Emulator emulator) {
        return S3Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.of(Emulator.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Emulator.ACCESS_KEY, Emulator.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(20)))
                .build();
    }

    /** A multipart upload streamed from disk, one part at a time. */
    static CompleteMultipartUploadResponse upload(S3Client s3, String bucket, Path file, String key, long partBytes)
            throws IOException {
        long size = Files.size(file);
        String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)
                .contentType("application/x-ndjson").contentEncoding("gzip")).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partBytes, number++) {
                long from = offset;
                long length = Math.min(partBytes, size - offset);
                int partNumber = number;
                UploadPartResponse part = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length),
                        RequestBody.fromContentProvider(() -> {
                            try {
                                return new FileSlice(file, from, length);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }, length, "application/octet-stream"));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build());
            }
            return s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
            throw e;
        }
    }

    private static Result baseline(HeapMeter meter, OrdersFileGenerator.Generated generated) throws IOException {
        long parsed = 0;
        long rejected = 0;
        HeapMeter.Phase phase = meter.begin();
        try (RecordReader reader = RecordReaders.open(SourceFormat.JSON_LINES, Files.newInputStream(generated.path()),
                ReaderLimits.defaults())) {
            for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
                if (next.get() instanceof ReadResult.Parsed) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
        }
        HeapMeter.Reading reading = phase.end();
        if (rejected > 0) {
            log("baseline: " + rejected + " lines rejected by the reader");
        }
        return new Result("baseline: local file, gunzip + parse", generated.compressedBytes(),
                generated.uncompressedBytes(), parsed, reading);
    }

    private static Result drain(HeapMeter meter, S3Client s3, String key, String versionId,
                                OrdersFileGenerator.Generated generated) throws IOException {
        byte[] buffer = new byte[DRAIN_BUFFER_BYTES];
        long bytes = 0;
        HeapMeter.Phase phase = meter.begin();
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(g -> g.bucket(LANDING_BUCKET).key(key)
                .versionId(versionId))) {
            for (int read; (read = body.read(buffer)) >= 0; ) {
                bytes += read;
            }
        }
        HeapMeter.Reading reading = phase.end();
        return new Result("GET only: object drained from the emulator", bytes, -1, -1, reading);
    }

    /** Objects and bytes under a prefix of the raw bucket. */
    private static long[] rawZone(S3Client s3, String prefix) {
        long objects = 0;
        long bytes = 0;
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(RAW_BUCKET).prefix(prefix)).contents()) {
            objects++;
            bytes += object.size();
        }
        return new long[] {objects, bytes};
    }

    private static void report(Result result) {
        HeapMeter.Reading r = result.reading();
        double seconds = seconds(r.wallNanos());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %.1f s, %.1f MiB/s compressed",
                result.phase(), seconds, result.compressedBytes() / (double) MIB / seconds));
        if (result.uncompressedBytes() >= 0) {
            line.append(String.format(Locale.ROOT, ", %.1f MiB/s uncompressed", result.uncompressedBytes() / (double) MIB / seconds));
        }
        if (result.records() >= 0) {
            line.append(String.format(Locale.ROOT, ", %,d records, %,.0f records/s", result.records(), result.records() / seconds));
        }
        line.append(String.format(Locale.ROOT,
                "%n    heap: pool peaks summed %s %s, max sampled used %s, max after GC %s, after a full GC %s;"
                        + " GC %d collections, %d ms;"
                        + " CPU: JVM %.1f s, emulator %.1f s; load average at end %s; emulator RSS %s",
                mib(r.poolPeakSum()), peaks(r.poolPeaks()), mib(r.sampledMax()), afterGc(r), orNoGc(r.afterFullGcMax()),
                r.gcCount(), r.gcMillis(), seconds(r.jvmCpuNanos()), seconds(r.childCpuNanos()), r.loadAverage(), mib(r.childRssBytes())));
        log(line.toString());
    }

    /** The rows of the two tables in BENCHMARKS.md, with their headers. */
    private static void printMarkdown(Options options, OrdersFileGenerator.Generated generated, List<Result> results,
                                      long[] raw) {
        String object = String.format(Locale.ROOT, "%.0f / %.0f MiB", generated.compressedBytes() / (double) MIB,
                generated.uncompressedBytes() / (double) MIB);
        String heap = "-Xmx" + Runtime.getRuntime().maxMemory() / MIB + "m";
        System.out.println();
        System.out.println("<!-- S3IngestBenchmark --size-mb " + options.sizeMib() + ", " + heap + ": "
                + String.format(Locale.ROOT, "%,d", generated.records()) + " records, "
                + String.format(Locale.ROOT, "%.2f", (double) generated.uncompressedBytes() / generated.compressedBytes())
                + "x compression; raw zone written: " + raw[0] + " parts, " + mib(raw[1]) + " -->");
        System.out.println("| object (gzip / JSON Lines) | heap | phase | records | wall | MiB/s gzip | MiB/s JSON Lines "
                + "| records/s | CPU: JVM / emulator |");
        System.out.println("|---|---|---|--:|--:|--:|--:|--:|--:|");
        for (Result result : results) {
            HeapMeter.Reading r = result.reading();
            double seconds = seconds(r.wallNanos());
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f s | %.1f | %s | %s | %.1f s / %.1f s |",
                    object, heap, result.phase(),
                    result.records() >= 0 ? String.format(Locale.ROOT, "%,d", result.records()) : "–",
                    seconds, result.compressedBytes() / (double) MIB / seconds,
                    result.uncompressedBytes() >= 0
                            ? String.format(Locale.ROOT, "%.1f", result.uncompressedBytes() / (double) MIB / seconds) : "–",
                    result.records() >= 0 ? String.format(Locale.ROOT, "%,.0f", result.records() / seconds) : "–",
                    seconds(r.jvmCpuNanos()), seconds(r.childCpuNanos())));
        }
        System.out.println();
        System.out.println("| object (gzip / JSON Lines) | heap | phase | peak heap: pool peaks summed "
                + "| peak heap: sampled every 50 ms | max heap after a GC | max heap after a full GC | GCs (time) |");
        System.out.println("|---|---|---|--:|--:|--:|--:|--:|");
        for (Result result : results) {
            HeapMeter.Reading r = result.reading();
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %.0f MiB | %.0f MiB | %s | %s | %d (%.1f s) |",
                    object, heap, result.phase(), r.poolPeakSum() / (double) MIB, r.sampledMax() / (double) MIB,
                    orNoGc(r.afterGcMax()), orNoGc(r.afterFullGcMax()), r.gcCount(), r.gcMillis() / 1000.0));
        }
    }

    /**
     * The machine-readable lines {@code ./ingest bench} reads. "PUT requests" counts the raw bucket's object versions
     * after the run: every PUT that stored something, made by the last phase only (the others write nowhere).
     */
    private static void printResultLines(S3Client s3, OrdersFileGenerator.Generated generated, List<Result> results) {
        long puts = s3.listObjectVersionsPaginator(l -> l.bucket(RAW_BUCKET)).versions().stream().count();
        String group = String.format(Locale.ROOT, "%.0f MiB gzip, %.0f MiB JSON Lines, %,d records",
                generated.compressedBytes() / (double) MIB, generated.uncompressedBytes() / (double) MIB,
                generated.records());
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            HeapMeter.Reading r = result.reading();
            double seconds = seconds(r.wallNanos());
            Map<String, Double> figures = ResultLine.figures(
                    "MiB/s JSON Lines", result.uncompressedBytes() >= 0 ? result.uncompressedBytes() / (double) MIB / seconds : -1,
                    "MiB/s gzip", result.compressedBytes() / (double) MIB / seconds,
                    "wall s", seconds, "CPU JVM s", seconds(r.jvmCpuNanos()), "CPU emulator s", seconds(r.childCpuNanos()),
                    "max heap after a GC MiB", r.afterGcMax() / (double) MIB,
                    "gzip MiB", generated.compressedBytes() / (double) MIB,
                    "JSON Lines MiB", generated.uncompressedBytes() / (double) MIB, "records", generated.records());
            if (i == results.size() - 1) {
                figures.put("PUT requests", (double) puts);
            }
            figures.values().removeIf(v -> v < 0);
            new ResultLine("s3", group, result.phase(), i == 0, figures).print();
        }
    }

    static <T> void expect(List<String> problems, String what, T expected, T actual) {
        if (!expected.equals(actual)) {
            problems.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static void cleanUp(Emulator emulator, Path file, Path dirToRemove) {
        if (emulator != null) {
            emulator.close();
        }
        try {
            Files.deleteIfExists(file);
            if (dirToRemove != null) {
                Files.deleteIfExists(dirToRemove);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + file + ": " + e);
        }
    }

    private static String peaks(Map<String, Long> peaks) {
        StringBuilder out = new StringBuilder("(");
        peaks.forEach((pool, bytes) -> out.append(out.length() > 1 ? ", " : "").append(pool).append(' ').append(mib(bytes)));
        return out.append(')').toString();
    }

    private static String orNoGc(long bytes) {
        return bytes < 0 ? "no GC" : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) MIB);
    }

    private static String afterGc(HeapMeter.Reading reading) {
        return reading.afterGcMax() < 0 ? "(no collection)" : mib(reading.afterGcMax());
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void log(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }
}
