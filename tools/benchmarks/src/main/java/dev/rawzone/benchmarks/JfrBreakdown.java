package dev.rawzone.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the S3 push path spends its time, from a JFR recording of {@link S3IngestBenchmark} run with
 * {@code -XX:StartFlightRecording=settings=profile,filename=FILE}: the method samples taken inside
 * {@code S3ObjectIngester.ingest}, or in the thread that publishes its parts, grouped by the step they are under. Java code is sampled every 10 ms
 * ({@code jdk.ExecutionSample}), native code (zlib, sockets) every 20 ms ({@code jdk.NativeMethodSample}), so
 * each sample is weighted by its period. Sampling is approximate; read the shares, not the milliseconds.
 * <p>
 * Usage: {@code java -cp rawzone-benchmarks.jar dev.rawzone.benchmarks.JfrBreakdown FILE.jfr [METHOD]}; with
 * {@code METHOD} (e.g. {@code dev.rawzone.core.replay.rebuild.RebuildUnits.run}, for {@link RebuildBenchmark}, or
 * {@code dev.rawzone.functions.stream.StreamIngestHandler.ingest}, for {@link StreamIngestBenchmark}) the samples
 * inside that method instead; several methods, comma-separated, for work spread over threads (for
 * {@link PullIngestBenchmark}: {@code dev.rawzone.core.pull.SourcePuller.pull,dev.rawzone.core.pull.PageFetcher.attempt}).
 */
public final class JfrBreakdown {
    private static final String INSIDE = "dev.rawzone.core.s3.S3ObjectIngester.ingest";
    /** The S3 ingest's parts are gzipped and written here, in a thread of their own (see PartPublisher). */
    private static final String PUBLISHING = "dev.rawzone.core.write.PartWriter.publish";
    private static final Duration JAVA_PERIOD = Duration.ofMillis(10);
    private static final Duration NATIVE_PERIOD = Duration.ofMillis(20);

    /** The step a sample belongs to: the first in this list with a frame anywhere on the sample's stack. */
    private static final List<Map.Entry<String, List<String>>> STEPS = List.of(
            // Kinesis (inside ShardRun.run, or StreamIngestHandler.ingest); none of these frames is on an S3 stack.
            Map.entry("Kinesis ledger: read, pin, advance (DynamoDB SDK, HTTP)", List.of(
                    "dev.rawzone.core.kinesis.ShardLedgers")),
            Map.entry("Kinesis: strict decoding of payloads (UTF-8 check, Jackson tree, stored text)", List.of(
                    "dev.rawzone.core.kinesis.RecordClassifier.decode")),
            Map.entry("Kinesis: parsing sequence numbers (BigInteger)", List.of(
                    "dev.rawzone.core.kinesis.StreamRecord.sequence")),
            Map.entry("Kinesis: event records to StreamRecords (copy, checks)", List.of(
                    "dev.rawzone.functions.stream.KinesisEvents")),
            // Pull (inside SourcePuller.pull and, for the page fetched ahead, PageFetcher.attempt).
            Map.entry("pull: staging pages in the page log (gzip, conditional PUT)", List.of(
                    "dev.rawzone.core.pull.PageLog")),
            Map.entry("pull: checkpoint advance (DynamoDB SDK, HTTP)", List.of(
                    "dev.rawzone.core.checkpoint.DynamoDbCheckpointStore", "dev.rawzone.benchmarks.MemoryCheckpoints")),
            Map.entry("pull: fetching pages (HTTP to the sample API)", List.of("dev.rawzone.core.pull.PageFetcher")),
            Map.entry("pull: reading pages (JSON parse)", List.of("dev.rawzone.core.pull.PageBody")),
            Map.entry("pull: seen set and checkpoint state", List.of("dev.rawzone.core.pull.PullState",
                    "dev.rawzone.core.pull.SeenSet")),
            Map.entry("PUT of parts and manifest to the emulator (SDK, HTTP)", List.of(
                    "dev.rawzone.core.write.S3ConditionalSink.putIfAbsent")),
            Map.entry("gzip of parts (Deflater)", List.of("dev.rawzone.core.write.PartBuffer.gzip",
                    "dev.rawzone.core.replay.rederive.DerivedParts.gzip")),
            Map.entry("SHA-256 of parts", List.of("dev.rawzone.core.identity.KeyParts.sha256Hex")),
            Map.entry("validation (json-schema-validator)", List.of(
                    "dev.rawzone.core.validate.RecordValidator.validate")),
            Map.entry("serialising records (Jackson)", List.of(
                    "dev.rawzone.core.pipeline.IngestSession.serialise")),
            Map.entry("GET stream and gunzip (Inflater)", List.of("java.util.zip.Inflater",
                    "java.util.zip.GZIPInputStream", "sun.nio.ch.", "java.net.", "sun.net.")),
            Map.entry("splitting and parsing lines (RecordReader)", List.of("dev.rawzone.core.read.")),
            Map.entry("parsing records and building entries (Jackson, Revalidation)", List.of(
                    "dev.rawzone.core.replay.rederive.Revalidation")),
            Map.entry("splitting a stored part into lines (StoredPart)", List.of(
                    "dev.rawzone.core.replay.rederive.StoredPart")));

    private JfrBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: JfrBreakdown FILE.jfr [METHOD (default " + INSIDE + ")]");
            System.exit(2);
        }
        List<String> inside = List.of((args.length == 2 ? args[1] : INSIDE).split(","));
        Map<String, Duration> bySteps = new LinkedHashMap<>();
        STEPS.forEach(step -> bySteps.put(step.getKey(), Duration.ZERO));
        bySteps.put("other (HEAD, manifest check, session)", Duration.ZERO);
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            Duration weight = switch (type) {
                case "jdk.ExecutionSample" -> JAVA_PERIOD;
                case "jdk.NativeMethodSample" -> NATIVE_PERIOD;
                default -> null;
            };
            RecordedStackTrace stack = event.getStackTrace();
            if (weight == null || stack == null || inside.stream().noneMatch(method -> contains(stack, method))
                    && !(inside.equals(List.of(INSIDE)) && contains(stack, PUBLISHING))) {
                continue;
            }
            bySteps.merge(step(stack), weight, Duration::plus);
        }
        Duration total = bySteps.values().stream().reduce(Duration.ZERO, Duration::plus);
        System.out.println("| step inside `" + String.join("`, `", inside.stream()
                .map(method -> method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1)).toList())
                + "` | share of samples | sampled time |");
        System.out.println("|---|--:|--:|");
        bySteps.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .forEach(entry -> System.out.println(String.format(Locale.ROOT, "| %s | %.0f%% | %.1f s |",
                        entry.getKey(), 100.0 * entry.getValue().toMillis() / Math.max(1, total.toMillis()),
                        entry.getValue().toMillis() / 1000.0)));
    }

    private static String step(RecordedStackTrace stack) {
        for (Map.Entry<String, List<String>> step : STEPS) {
            for (RecordedFrame frame : stack.getFrames()) {
                String method = name(frame);
                if (step.getValue().stream().anyMatch(method::startsWith)) {
                    return step.getKey();
                }
            }
        }
        return "other (HEAD, manifest check, session)";
    }

    private static boolean contains(RecordedStackTrace stack, String method) {
        return stack.getFrames().stream().anyMatch(frame -> name(frame).equals(method));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
