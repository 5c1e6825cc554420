package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Buckets, objects and notifications on the emulator, shaped as S3 sends them, for the handler's tests. */
final class S3Fixture {
    static final String LANDING = "rawzone-landing-123456789012-us-east-1";
    static final String RAW = "rawzone-raw-123456789012-us-east-1";
    static final ObjectMapper MAPPER = new ObjectMapper();

    final S3Client s3;
    private final URI endpoint;
    private final Map<String, String> emulatorEnvironment;
    private long sequencer = 0x5F00000000L;

    S3Fixture(Emulator emulator) {
        this.endpoint = emulator.endpoint();
        this.emulatorEnvironment = emulator.environment();
        this.s3 = new AwsClients(emulatorEnvironment).s3();
        for (String bucket : List.of(LANDING, RAW)) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
    }

    /** The function's environment as template.yaml sets it, pointed at the given endpoint. */
    Map<String, String> environment(URI functionEndpoint, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("RAW_BUCKET", RAW);
        env.put("INGEST_CONFIG", "classpath:ingest.json");
        env.put("SCHEMA_LOCATION", "classpath:schemas");
        env.put("PIPELINE_VERSION", "test");
        env.putAll(emulatorEnvironment);
        env.put("AWS_ENDPOINT_URL", functionEndpoint.toString());
        env.putAll(extra);
        return env;
    }

    S3IngestHandler handler(Map<String, String> extra) {
        return new S3IngestHandler(S3IngestWiring.fromEnvironment(environment(endpoint, extra)));
    }

    ObjectNode invoke(S3IngestHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new FakeContext("S3IngestFunction"));
            return (ObjectNode) MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads an object and returns the notification record S3 would send for it. */
    ObjectNode put(String key, byte[] body) {
        PutObjectResponse response = s3.putObject(p -> p.bucket(LANDING).key(key), RequestBody.fromBytes(body));
        return record("ObjectCreated:Put", key, response.versionId(), response.eTag().replace("\"", ""), body.length);
    }

    ObjectNode record(String eventName, String key, String versionId, String eTag, long size) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", Emulator.REGION)
                .put("eventTime", "2026-11-25T10:00:00.000Z").put("eventName", eventName);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "rawzone-landing");
        s3.putObject("bucket").put("name", LANDING).put("arn", "arn:aws:s3:::" + LANDING)
                .putObject("ownerIdentity").put("principalId", "EXAMPLE");
        ObjectNode object = s3.putObject("object");
        object.put("key", encode(key)).put("size", size);
        if (eTag != null) {
            object.put("eTag", eTag);
        }
        if (versionId != null) {
            object.put("versionId", versionId);
        }
        object.put("sequencer", String.format("%016X", sequencer++));
        return record;
    }

    /** The same announcement as S3 sends it through EventBridge: the key as it is, not encoded. */
    static String eventBridge(ObjectNode record, String key) {
        JsonNode object = record.get("s3").get("object");
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "0").put("id", "e-" + object.get("sequencer").asText()).put("detail-type", "Object Created")
                .put("source", "aws.s3").put("account", "123456789012").put("time", "2026-11-25T10:00:00Z")
                .put("region", Emulator.REGION).putArray("resources").add("arn:aws:s3:::" + LANDING);
        ObjectNode detail = event.putObject("detail");
        detail.put("version", "0").putObject("bucket").put("name", LANDING);
        ObjectNode bridged = detail.putObject("object").put("key", key).put("size", object.get("size").asLong());
        if (object.has("eTag")) {
            bridged.put("etag", object.get("eTag").asText());
        }
        if (object.has("versionId")) {
            bridged.put("version-id", object.get("versionId").asText());
        }
        bridged.put("sequencer", object.get("sequencer").asText());
        detail.put("request-id", "R").put("requester", "123456789012").put("reason", "PutObject");
        return event.toString();
    }

    static String event(ObjectNode... records) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (ObjectNode record : records) {
            array.add(record);
        }
        return event.toString();
    }

    /** S3 encodes keys in notifications like a form: space as '+', '+' as %2B, '/' kept. */
    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    List<String> keys(String prefix) {
        return new RawZoneReader(s3, RAW).keys(prefix);
    }

    /** The manifests of finished object versions (not the decisions kept beside them). */
    List<String> manifestKeys() {
        return keys("manifests/").stream().filter(key -> !key.startsWith("manifests/s3/decisions/")).toList();
    }

    int versionCount() {
        List<ObjectVersion> versions = new ArrayList<>();
        s3.listObjectVersionsPaginator(l -> l.bucket(RAW)).versions().forEach(versions::add);
        return versions.size();
    }

    /** Every record in the raw zone's data parts, in key order. */
    List<JsonNode> rawRecords() {
        return linesUnder("raw/");
    }

    List<JsonNode> quarantined() {
        return linesUnder("quarantine/");
    }

    private List<JsonNode> linesUnder(String prefix) {
        return new RawZoneReader(s3, RAW).lines(prefix).stream().map(S3Fixture::json).toList();
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static void assertCountsAddUp(JsonNode report) {
        assertEquals(report.get("in").asLong(), report.get("written").asLong() + report.get("quarantined").asLong()
                + report.get("duplicates").asLong() + report.get("failed").asLong(), "counts add up: " + report);
        for (JsonNode object : report.get("objects")) {
            assertEquals(object.get("in").asLong(), object.get("written").asLong() + object.get("quarantined").asLong()
                    + object.get("duplicates").asLong() + object.get("failed").asLong(), "object counts add up: " + object);
        }
    }

    static String order(int i) {
        return "{\"order_id\":\"o-" + i + "\",\"customer_id\":\"c-" + (i % 7) + "\",\"amount\":" + (i * 1.5)
                + ",\"currency\":\"EUR\",\"created_at\":\"2026-11-25T10:00:00Z\"}";
    }

    static String orders(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i <= to; i++) {
            lines.append(order(i)).append('\n');
        }
        return lines.toString();
    }
}
