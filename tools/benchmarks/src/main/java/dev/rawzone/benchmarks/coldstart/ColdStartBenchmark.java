package dev.rawzone.benchmarks.coldstart;

import dev.rawzone.benchmarks.ResultLine;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Cold start per function, not a test: for each run and function, a fresh JVM on the function's shaded jar (started
 * as the local runner starts one: the harness {@code dev.rawzone.runner.harness.Invoke} loads the handler class over
 * only the Lambda runtime API, builds it with its no-argument constructor and hands it one sample event from
 * {@code events/}), against the emulator, with the JVM flags of {@code template.yaml}. Measures the time from
 * starting the JVM to the handler's response on stdout, beside {@link MinimalS3Handler} (one S3 client, one call)
 * started the same way. Then one more start per function with {@code -Xlog:class+load} counts the classes loaded.
 *
 * <p>Usage: {@code ColdStartBenchmark [--runs N (default 3)]}, from the repository root after {@code mvn package}.
 */
public final class ColdStartBenchmark {
    private static final String LANDING = "rawzone-landing-123456789012-us-east-1"; // the bucket events/s3-put.json names
    private static final String LANDED_KEY = "orders/2026-11-25/orders-001.jsonl";
    private static final String HARNESS = "dev.rawzone.runner.harness.Invoke";

    public static void main(String[] args) throws Exception {
        int runs = 3;
        if (args.length == 2 && args[0].equals("--runs")) {
            runs = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: ColdStartBenchmark [--runs N (default 3)]");
            System.exit(2);
        }
        Path root = Path.of("").toAbsolutePath();
        Path runnerJar = root.resolve("tools/runner/target/rawzone-runner.jar");
        if (!Files.isRegularFile(runnerJar) || !Files.isRegularFile(root.resolve("template.yaml"))) {
            System.err.println("run from the repository root after mvn package (needs " + runnerJar + ")");
            System.exit(2);
        }
        try (Emulator emulator = Emulator.start()) {
            Map<String, String> aws = emulator.environment();
            S3Client s3 = new AwsClients(aws).s3();
            s3.createBucket(b -> b.bucket(LANDING));
            s3.putObject(p -> p.bucket(LANDING).key(LANDED_KEY),
                    RequestBody.fromFile(root.resolve("events/objects").resolve(LANDED_KEY)));
            ColdStarts starts = new ColdStarts(runnerJar, aws);
            Path minimal = minimalHandlerCode();
            Map<String, List<Long>> millis = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                String raw = "rawzone-bench-raw-" + run; // a fresh raw zone per run: each run writes, none skips
                String table = "rawzone-bench-checkpoints-" + run;
                s3.createBucket(b -> b.bucket(raw));
                createCheckpointTable(new AwsClients(aws).dynamoDb(), table);
                for (ColdStartCase c : cases(root, minimal, raw, table)) {
                    long elapsed = starts.timeToFirstResponse(c);
                    millis.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(elapsed);
                    System.out.printf(Locale.ROOT, "run %d  %-22s %6d ms%n", run, c.name(), elapsed);
                }
            }
            Map<String, Integer> classes = new LinkedHashMap<>();
            for (ColdStartCase c : cases(root, minimal, "rawzone-bench-raw-1", "rawzone-bench-checkpoints-1")) {
                classes.put(c.name(), starts.classesLoaded(c));
            }
            print(millis, classes, runs);
        }
    }

    private static List<ColdStartCase> cases(Path root, Path minimal, String raw, String table) throws IOException {
        Path template = root.resolve("template.yaml");
        Map<String, String> ingest = Map.of("RAW_BUCKET", raw, "SCHEMA_LOCATION", "classpath:schemas",
                "PIPELINE_VERSION", "bench", "POWERTOOLS_METRICS_NAMESPACE", "rawzone");
        return List.of(
                new ColdStartCase("MinimalS3Handler", List.of(minimal), MinimalS3Handler.class.getName(),
                        root.resolve("events/s3-put.json"), Map.of(),
                        TemplateFlags.javaToolOptions(template, "S3IngestFunction"), 1024),
                new ColdStartCase("S3IngestFunction", List.of(root.resolve("functions/s3-ingest/target/s3-ingest.jar")), "dev.rawzone.functions.s3.S3IngestHandler::handleRequest",
                        root.resolve("events/s3-put.json"), with(ingest, "INGEST_CONFIG", "classpath:ingest.json",
                        "POWERTOOLS_SERVICE_NAME", "s3-ingest"),
                        TemplateFlags.javaToolOptions(template, "S3IngestFunction"), 1024),
                new ColdStartCase("StreamIngestFunction", List.of(root.resolve("functions/stream-ingest/target/stream-ingest.jar")),
                        "dev.rawzone.functions.stream.StreamIngestHandler::handleRequest",
                        root.resolve("events/kinesis-single.json"), with(ingest, "INGEST_CONFIG", "classpath:streams.json",
                        "CHECKPOINT_TABLE", table, "POWERTOOLS_SERVICE_NAME", "stream-ingest"),
                        TemplateFlags.javaToolOptions(template, "StreamIngestFunction"), 1024),
                new ColdStartCase("ReplayFunction", List.of(root.resolve("functions/replay/target/replay.jar")),
                        "dev.rawzone.functions.replay.ReplayHandler::handleRequest",
                        root.resolve("events/replay-verify.json"), with(ingest, "CHECKPOINT_TABLE", table,
                        "POWERTOOLS_SERVICE_NAME", "replay"),
                        TemplateFlags.javaToolOptions(template, "ReplayFunction"), 1024));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> all = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /**
     * The baseline's code, as a directory: its handler class and, from this benchmark's own jar, the AWS SDK (with
     * its service files, without the global interceptors Powertools adds), reactive-streams and the SLF4J API; no
     * logging binding, no Jackson, no rawzone code.
     */
    private static Path minimalHandlerCode() throws IOException {
        Path dir = Files.createTempDirectory("cold-start-minimal");
        String handler = MinimalS3Handler.class.getName().replace('.', '/') + ".class";
        Path self = Path.of(URI.create(MinimalS3Handler.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        try (JarFile jar = new JarFile(self.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                boolean wanted = name.equals(handler) || name.startsWith("software/amazon/awssdk/")
                        || name.startsWith("org/reactivestreams/") || name.startsWith("org/slf4j/")
                        || name.startsWith("META-INF/services/software.amazon.awssdk.");
                boolean powertools = name.startsWith("software/amazon/awssdk/global/"); // its interceptors, not the SDK's
                if (wanted && !powertools && !entry.isDirectory()) {
                    Path target = dir.resolve(name);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return dir;
    }

    private static void createCheckpointTable(DynamoDbClient dynamo, String table) {
        dynamo.createTable(t -> t.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
    }

    private static void print(Map<String, List<Long>> millis, Map<String, Integer> classes, int runs) {
        long baseline = median(millis.get("MinimalS3Handler"));
        System.out.println();
        System.out.println("| Function | median (ms) | min-max (ms) | x minimal | classes loaded |");
        System.out.println("|---|---:|---:|---:|---:|");
        millis.forEach((name, values) -> System.out.printf(Locale.ROOT, "| %s | %d | %d-%d | %.2f | %d |%n", name,
                median(values), values.stream().mapToLong(Long::longValue).min().orElse(0),
                values.stream().mapToLong(Long::longValue).max().orElse(0), median(values) / (double) baseline,
                classes.get(name)));
        System.out.printf(Locale.ROOT, "(%d runs each, a fresh JVM per run, JVM flags: %s + the function's "
                + "JAVA_TOOL_OPTIONS, or without them the Lambda runtime's %s)%n", runs, ColdStarts.CBOR_OFF,
                String.join(" ", ColdStarts.LAMBDA_JVM_DEFAULTS));
        millis.forEach((name, values) -> new ResultLine("coldstart", "harness flags + JAVA_TOOL_OPTIONS, 1,024 MB",
                name, name.equals("MinimalS3Handler"), ResultLine.figures("ms to first response", median(values),
                "classes loaded", classes.get(name))).print());
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
