package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.s3.ObjectNotice;
import dev.rawzone.core.s3.ObjectReport;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function's world for a test: the raw and landing buckets on the emulator, the raw zone seeded by the real
 * S3 ingest core from the sample orders object, and the handler over {@link CopyPartUnits}, its unit lines kept.
 */
final class ReplayFixture {
    static final String LANDING = "rawzone-landing-123456789012-us-east-1";
    static final String RAW = "rawzone-raw-123456789012-us-east-1";
    static final Instant NOW = Instant.parse("2026-12-02T08:15:30Z");
    static final Path EVENTS = Path.of("..", "..", "events");
    static final ObjectMapper MAPPER = new ObjectMapper();

    final S3Client s3;
    final ReplayWiring wiring;
    private final Map<String, String> env;
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private final ReplayHandler handler;

    ReplayFixture(Emulator emulator) {
        env = new HashMap<>(emulator.environment());
        env.put("RAW_BUCKET", RAW);
        env.put("PIPELINE_VERSION", "test");
        env.put("PART_MAX_RECORDS", "2");
        env.put("REPLAY_TIME_RESERVE_MS", "1000");
        this.s3 = new AwsClients(env).s3();
        for (String bucket : List.of(LANDING, RAW)) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        this.wiring = ReplayWiring.fromEnvironment(env).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
        this.handler = new ReplayHandler(wiring, CopyPartUnits.modes(),
                new PrintStream(lines, true, StandardCharsets.UTF_8));
    }

    /** Lands the sample orders object and ingests it with the real S3 ingest core: its records in parts of two. */
    ObjectReport seedOrders() throws IOException {
        String key = "orders/2026-11-25/orders-001.jsonl";
        byte[] body = Files.readAllBytes(EVENTS.resolve("objects").resolve(key));
        PutObjectResponse put = s3.putObject(p -> p.bucket(LANDING).key(key), RequestBody.fromBytes(body));
        S3ObjectIngester ingester = new S3ObjectIngester(s3, wiring.raw(), RAW, wiring.routing().get(),
                wiring.catalogue(), wiring.settings().partPolicy(), ReaderLimits.defaults(), MAPPER);
        return ingester.ingest(new ObjectNotice(LANDING, key, Optional.of(put.versionId()),
                Optional.of(put.eTag().replace("\"", "")), body.length, Optional.empty()), new RunContext("test", "seed"));
    }

    List<String> parts() {
        return new RawZoneReader(s3, RAW).keys("raw/");
    }

    List<String> keys(String prefix) {
        return new RawZoneReader(s3, RAW).keys(prefix);
    }

    Map<String, String> metadata(String key) {
        return new RawZoneReader(s3, RAW).metadata(key);
    }

    byte[] bytes(String key) {
        return new RawZoneReader(s3, RAW).bytes(key);
    }

    /** A function of the template: this world's environment with its REPLAY_MODES, printing to {@link #lines}. */
    ReplayHandler function(String replayModes, ReplayModes modes) {
        Map<String, String> function = new HashMap<>(env);
        function.put("REPLAY_MODES", replayModes);
        return new ReplayHandler(ReplayWiring.fromEnvironment(function).withClock(Clock.fixed(NOW, ZoneOffset.UTC)), modes,
                new PrintStream(lines, true, StandardCharsets.UTF_8));
    }

    JsonNode invoke(String event) {
        return invoke(handler, event, Duration.ofMinutes(15));
    }

    JsonNode invoke(String event, Duration timeout) {
        return invoke(handler, event, timeout);
    }

    static JsonNode invoke(ReplayHandler handler, String event, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new FakeContext("ReplayFunction", timeout));
            return MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runner's {@code --dry-run}: the units the event covers, one JSON object each. */
    List<ObjectNode> dryRun(String event) {
        return handler.plan(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
    }

    /** What the handler printed, one unit (or plan, or totals) per line. */
    List<String> lines() {
        return lines.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
