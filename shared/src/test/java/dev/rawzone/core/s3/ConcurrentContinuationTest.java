package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.PutOutcome;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.RawZoneReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two invocations of one continuation chain at once (the continuation delivered twice): both read the same
 * segments from the same stop, one writes the parts and the other finds them written, and either may record the
 * next stop first. The object's manifest must count what the raw zone holds, whichever attempt won.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentContinuationTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final String LANDING = "continuation-landing";
    private static final String RAW = "continuation-raw";
    private static final String KEY = "orders/twice.jsonl";
    private static final int LINES = 30;
    private static final int SEGMENT_LINES = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private S3Client s3;
    private ObjectNotice notice;

    @BeforeEach
    void setUp() {
        s3 = new AwsClients(EMULATOR.emulator().environment()).s3();
        for (String bucket : List.of(LANDING, RAW)) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= LINES; i++) {
            body.append(i % 7 == 0 ? "{not json" : "{\"id\":\"o-" + i + "\",\"amount\":" + i + "}").append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = s3.putObject(p -> p.bucket(LANDING).key(KEY), RequestBody.fromBytes(bytes));
        notice = new ObjectNotice(LANDING, KEY, Optional.of(put.versionId()), Optional.of(put.eTag().replace("\"", "")),
                bytes.length, Optional.empty());
    }

    @Test
    void theManifestCountsWhatIsStoredWhenTheAttemptThatFoundThePartsRecordsTheStopFirst() throws Exception {
        S3ConditionalSink sink = new S3ConditionalSink(s3, RAW);
        assertEquals(ObjectOutcome.CONTINUED, ingester(sink).ingest(notice, run("first"), segments(1)).outcome());
        CompletableFuture<Void> writerAtStop = new CompletableFuture<>();
        CompletableFuture<Void> finderRecorded = new CompletableFuture<>();
        ConditionalSink heldAtStop = new ForwardingSink(sink) {
            @Override
            public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
                if (key.contains("/progress/")) {
                    writerAtStop.complete(null);
                    finderRecorded.join();
                }
                return super.putIfAbsent(key, body, metadata);
            }
        };

        CompletableFuture<ObjectReport> writer = CompletableFuture.supplyAsync(
                () -> ingester(heldAtStop).ingest(notice, run("writer"), segments(2)));
        writerAtStop.join();
        ObjectReport finder = ingester(sink).ingest(notice, run("finder"), segments(2));
        finderRecorded.complete(null);
        ObjectReport wrote = writer.get();

        assertEquals(ObjectOutcome.CONTINUED, finder.outcome());
        assertEquals(ObjectOutcome.CONTINUED_BY_ANOTHER, wrote.outcome());
        assertEquals(0, wrote.counts().duplicates(), "the held attempt wrote every part: " + wrote.counts());
        assertEquals(wrote.counts().in(), finder.counts().duplicates(), "the other found them all: " + finder.counts());
        assertEquals(ObjectOutcome.INGESTED,
                ingester(sink).ingest(notice, run("last"), TimeBudget.unlimited()).outcome());
        assertManifestCountsWhatIsStored();
    }

    private void assertManifestCountsWhatIsStored() throws IOException {
        RawZoneReader reader = new RawZoneReader(s3, RAW);
        List<String> manifests = reader.keys("manifests/s3/orders/");
        assertEquals(1, manifests.size(), manifests.toString());
        JsonNode manifest = MAPPER.readTree(reader.bytes(manifests.get(0)));
        Counts counts = Counts.fromJson(manifest.get("counts"));
        long written = reader.lines("raw/").size();
        long quarantined = reader.lines("quarantine/").size();
        assertEquals(LINES - LINES / 7, written, "each valid record stored once");
        assertEquals(new Counts(LINES, written, quarantined, 0, 0), counts, "the manifest against the raw zone: " + manifest);
    }

    private static S3ObjectIngester ingester(ConditionalSink sink) {
        S3Client s3 = new AwsClients(EMULATOR.emulator().environment()).s3();
        return new S3ObjectIngester(s3, sink, RAW, Routing.load("classpath:routing/routes.json", () -> s3),
                new SchemaCatalogue(SchemaSources.fromLocation("classpath:schemas", () -> s3)),
                new PartPolicy(SEGMENT_LINES, 1 << 20), ReaderLimits.defaults(), MAPPER);
    }

    /** Time for {@code segments} segment ends: the budget is asked once at each. */
    private static TimeBudget segments(int segments) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() < segments ? Duration.ofMinutes(1) : Duration.ZERO;
    }

    private static RunContext run(String id) {
        return new RunContext("test", id);
    }
}
