package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.route.TestS3;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSource;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.PutOutcome;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.Emulator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A raw zone on the emulator seeded by the real ingest core under schema v1, the schemas published since, and a
 * replay engine to run a mode over it.
 */
public final class RederiveFixture {
    public static final String LANDING = "rederive-landing";
    public static final String RAW = "rederive-raw";
    public static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-stream";
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final Routing ROUTING = Routing.parse("{\"routes\":[{\"prefix\":\"orders/\",\"dataset\":\"orders\"}]}");

    /** v1: whole amounts, EUR or USD. */
    public static final String ORDERS_V1 = """
            {"type":"object","required":["id","amount"],"properties":{"id":{"type":"string"},
             "amount":{"type":"integer"},"currency":{"enum":["EUR","USD"]},"schema_version":{}}}""";
    /** v2: decimal amounts and GBP accepted, an optional note, and amounts capped at 1000 (stricter). */
    public static final String ORDERS_V2 = """
            {"$id":"orders/v2-test","type":"object","required":["id","amount"],"properties":{"id":{"type":"string"},
             "amount":{"type":"number","maximum":1000},"currency":{"enum":["EUR","USD","GBP"]},
             "note":{"type":["string","null"]},"schema_version":{}}}""";

    /**
     * Six lines: valid under both versions (1, 6, the last spaced oddly to show bytes are kept), valid under v1
     * only (3: above v2's cap), valid under v2 only (2: a decimal amount, 4: GBP), and one that is not JSON (5).
     */
    public static final String DAY_ONE = """
            {"id":"a","amount":10}
            {"id":"b","amount":1.5}
            {"id":"c","amount":5000}
            {"id":"d","amount":7,"currency":"GBP"}
            {broken
            {"id":"e",  "amount" : 20 ,"note":"caf\\u00e9 é"}
            """;

    public final S3Client s3;
    public final S3ConditionalSink raw;
    public final Schemas schemas = new Schemas();
    private int runs;

    public RederiveFixture(Emulator emulator) {
        s3 = TestS3.client(emulator);
        for (String bucket : new String[] {LANDING, RAW}) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        raw = new S3ConditionalSink(s3, RAW);
        schemas.put("orders", 1, ORDERS_V1);
    }

    /** Publishes {@link #ORDERS_V2}. */
    public void publishVersionTwo() {
        schemas.put("orders", 2, ORDERS_V2);
    }

    /** A catalogue as a new container would load it: with every version published so far. */
    public SchemaCatalogue catalogue() {
        return new SchemaCatalogue(schemas);
    }

    /** Lands an object and ingests it with the real S3 ingest core, the schemas and routing of today. */
    public ObjectReport land(String key, String text, Routing routing) {
        return land(key, text.getBytes(StandardCharsets.UTF_8), routing);
    }

    public ObjectReport land(String key, byte[] body, Routing routing) {
        PutObjectResponse put = s3.putObject(p -> p.bucket(LANDING).key(key), RequestBody.fromBytes(body));
        ObjectNotice notice = new ObjectNotice(LANDING, key, Optional.of(put.versionId()),
                Optional.of(put.eTag().replace("\"", "")), body.length, Optional.empty());
        return new S3ObjectIngester(s3, raw, RAW, routing, catalogue(), PartPolicy.defaults(), ReaderLimits.defaults(),
                MAPPER).ingest(notice, new RunContext("test", "ingest-" + ++runs));
    }

    public ObjectReport land(String key, String text) {
        return land(key, text, ROUTING);
    }

    /** Ingests records of one shard with the real Kinesis ingest core. */
    public void stream(String... jsons) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < jsons.length; i++) {
            records.add(new StreamRecord(STREAM_ARN, "shardId-000000000000", Long.toString(1000 + i), "pk-" + i,
                    jsons[i].getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i)));
        }
        StreamRouting routing = StreamRouting.parse("{\"streams\":[{\"stream\":\"orders-stream\",\"dataset\":\"orders\"}]}");
        new KinesisIngester(raw, new ShardLedgers(new InMemoryCheckpointStore()),
                new RecordClassifier(routing, new RecordValidator(catalogue())), PartPolicy.defaults(), MAPPER)
                .ingest(records, new RunContext("test", "ingest-" + ++runs));
    }

    public static ReplayReport replay(ReplayUnits units, ConditionalSink sink, ReplayMode mode, ReplaySelection selection,
                                      String runId, boolean dryRun) {
        return new ReplayEngine(units, new ReplayManifests(sink, MAPPER)).run(selection,
                ReplayRun.of(runId, mode, dryRun, "test"), TimeBudget.unlimited(), ReplayProgress.silent());
    }

    /** Every key under the prefix with the SHA-256 of its bytes. */
    public Map<String, String> snapshot(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (String key : raw.keys(prefix)) {
            objects.put(key, KeyParts.sha256Hex(raw.read(key).orElseThrow()));
        }
        return objects;
    }

    public List<String> keys(String prefix, Predicate<String> filter) {
        return raw.keys(prefix).stream().filter(filter).toList();
    }

    public List<String> keys(String prefix) {
        return raw.keys(prefix);
    }

    /** A part's lines, gunzipped, as text. */
    public List<String> lines(String key) {
        return List.of(new String(gunzip(raw.read(key).orElseThrow()), StandardCharsets.UTF_8).split("\n"));
    }

    public Map<String, String> lineage(String key) {
        return raw.metadata(key).orElseThrow();
    }

    public static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReplaySelection dataset(String dataset) {
        return new ReplaySelection(Optional.empty(), Optional.of(dataset), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), false, Optional.empty());
    }

    public static ReplaySelection quarantineOf(String dataset) {
        return new ReplaySelection(Optional.empty(), Optional.of(dataset), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), true, Optional.empty());
    }

    /** The sink, failing like a process dying on the first write of a key the predicate picks. */
    public ConditionalSink crashingOn(Predicate<String> key) {
        return beforeWriting(k -> {
            if (key.test(k)) {
                throw new IllegalStateException("simulated crash before writing " + k);
            }
        });
    }

    /**
     * The sink, letting another run go first: {@code meanwhile} runs to its end just before this sink's first write,
     * the interleaving where two runs both looked and found nothing, and one of them wrote everything first.
     */
    public ConditionalSink overtakenBy(Runnable meanwhile) {
        boolean[] overtaken = {false};
        return beforeWriting(k -> {
            if (!overtaken[0]) {
                overtaken[0] = true;
                meanwhile.run();
            }
        });
    }

    private ConditionalSink beforeWriting(java.util.function.Consumer<String> hook) {
        return new ForwardingSink(raw) {
            @Override
            public PutOutcome putIfAbsent(String k, byte[] body, Map<String, String> metadata) {
                hook.accept(k);
                return super.putIfAbsent(k, body, metadata);
            }
        };
    }

    /** Schema files in memory, published version by version. */
    public static final class Schemas implements SchemaSource {
        private final Map<String, Map<Integer, String>> files = new ConcurrentHashMap<>();

        public void put(String dataset, int version, String schema) {
            files.computeIfAbsent(dataset, d -> new ConcurrentHashMap<>()).put(version, schema);
        }

        @Override
        public Optional<String> read(String dataset, int version) {
            return Optional.ofNullable(files.getOrDefault(dataset, Map.of()).get(version));
        }

        @Override
        public List<Integer> versions(String dataset) {
            return files.getOrDefault(dataset, Map.of()).keySet().stream().sorted().toList();
        }

        @Override
        public String toString() {
            return "memory:";
        }
    }
}
