package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.kinesis.BatchResult;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRecord;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.ClasspathSchemaSource;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A raw zone written by the real ingest core: JSON Lines with bad records, a CSV and an unreadable object through
 * S3, a batch with a bad record through Kinesis.
 */
final class RawZoneSeed {
    static final String LANDING = "verify-landing";
    static final String RAW = "verify-raw";
    static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/events";
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Two records a part, so that an object makes several parts. */
    static final PartPolicy POLICY = new PartPolicy(2, 1024 * 1024);
    static final Routing ROUTING = Routing.parse("""
            {"routes":[{"prefix":"orders/","dataset":"orders"}]}""");
    static final SchemaCatalogue CATALOGUE = new SchemaCatalogue(new ClasspathSchemaSource("schemas"));
    static final String JSONL = """
            {"id":"o-1","amount":10,"currency":"EUR"}
            {"id":"o-2","amount":12.5}
            {not json
            {"id":"o-4"}
            {"id":"o-5","amount":7,"currency":"USD"}
            """;
    static final String CSV = """
            id,amount,currency
            c-1,3,EUR
            c-2,4.5,USD
            """;

    /** The start of a gzip stream, cut off: the object cannot be read and goes whole to quarantine. */
    static final byte[] BROKEN_GZIP = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0x4b, 0x4c};

    final S3Client s3;
    final KinesisClient streams;
    final ConditionalSink raw;
    ObjectReport jsonl;
    ObjectReport csv;
    ObjectReport unreadable;
    BatchResult kinesis;

    /** @param streams the client verify re-reads streams with (the seed's batch names a stream that is not there) */
    RawZoneSeed(S3Client s3, KinesisClient streams) {
        this.s3 = s3;
        this.streams = streams;
        this.raw = new S3ConditionalSink(s3, RAW);
    }

    RawZoneSeed ingest() {
        for (String bucket : List.of(LANDING, RAW)) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        S3ObjectIngester ingester = new S3ObjectIngester(s3, raw, RAW, ROUTING, CATALOGUE, POLICY,
                ReaderLimits.defaults(), MAPPER);
        jsonl = ingester.ingest(land("orders/batch-1.jsonl", JSONL), new RunContext("test", "seed-s3-1"));
        csv = ingester.ingest(land("orders/day-2.csv", CSV), new RunContext("test", "seed-s3-2"));
        unreadable = ingester.ingest(land("orders/broken.jsonl.gz", BROKEN_GZIP), new RunContext("test", "seed-s3-3"));
        SchemaCatalogue streamSchemas = new SchemaCatalogue(new ClasspathSchemaSource("kinesis/schemas"));
        KinesisIngester stream = new KinesisIngester(raw, new ShardLedgers(new InMemoryCheckpointStore()),
                new RecordClassifier(StreamRouting.parse("""
                        {"streams":[{"stream":"events","datasetField":"type",
                                     "datasets":{"order":"orders","customer":"customers"}}]}"""),
                        new RecordValidator(streamSchemas)), POLICY, MAPPER);
        kinesis = stream.ingest(Stream.of(
                record(1, "{\"type\":\"order\",\"id\":\"k-1\",\"amount\":12.5}"),
                record(2, "{\"type\":\"customer\",\"id\":\"k-2\",\"name\":\"Ada\"}"),
                record(3, "{\"type\":\"order\",\"id\":\"k-3\",\"amount\":1}"),
                record(4, "{\"type\":\"order\",\"id\":\"k-4\",\"amount\":2}"),
                record(5, "{oops")).toList(), new RunContext("test", "seed-kinesis"));
        return this;
    }

    ObjectNotice land(String key, String text) {
        return land(key, text.getBytes(StandardCharsets.UTF_8));
    }

    ObjectNotice land(String key, byte[] body) {
        PutObjectResponse put = s3.putObject(p -> p.bucket(LANDING).key(key), RequestBody.fromBytes(body));
        return new ObjectNotice(LANDING, key, Optional.of(put.versionId()), Optional.of(put.eTag().replace("\"", "")),
                body.length, Optional.empty());
    }

    private static StreamRecord record(long sequence, String json) {
        return new StreamRecord(STREAM_ARN, "shardId-000000000000", Long.toString(sequence), "pk-" + sequence,
                json.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-25T10:00:00Z").plusSeconds(sequence));
    }

    /** The manifest the S3 ingester wrote for the JSON Lines object. */
    String jsonlManifest() {
        return manifestOf("batch-1");
    }

    String manifestOf(String name) {
        return raw.keys("manifests/s3/orders/").stream().filter(key -> key.contains("/" + name + "-")).findFirst()
                .orElseThrow();
    }

    VerifyUnits units() {
        return new VerifyUnits(s3, streams, raw, RAW, ROUTING, CATALOGUE, POLICY, ReaderLimits.defaults(), MAPPER);
    }

    /** Every key and version in the raw bucket, delete markers included: what a read-only run must leave as is. */
    List<String> everyVersion() {
        Stream<String> versions = s3.listObjectVersionsPaginator(l -> l.bucket(RAW)).versions().stream()
                .map(ObjectVersion::toString);
        Stream<String> markers = s3.listObjectVersionsPaginator(l -> l.bucket(RAW)).deleteMarkers().stream()
                .map(Object::toString);
        return Stream.concat(versions, markers).sorted().toList();
    }

    /** Gzip as a part is stored. */
    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
