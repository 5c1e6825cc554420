package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A configuration published between a failed attempt and its retry (a new schema version, a route moved to another
 * dataset, a gzip level) applies to objects not started yet: the retry, in a container that read the new configuration, finishes
 * the object as its first attempt began it, so no record is written twice under another schema version or dataset.
 */
class ConfigChangeTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String CONFIG = "rawzone-config-123456789012";

    private S3Fixture fixture;
    private FaultInjectingProxy proxy;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
        fixture.s3.createBucket(b -> b.bucket(CONFIG));
        routeOrdersTo("orders");
        publish("schemas/orders/v1.json", resource("/schemas/orders/v1.json"));
        publish("schemas/archive/v1.json", resource("/schemas/orders/v1.json"));
        env = fixture.environment(proxy.endpoint(), Map.of("PART_MAX_RECORDS", "2",
                "INGEST_CONFIG", "s3://" + CONFIG + "/ingest.json", "SCHEMA_LOCATION", "s3://" + CONFIG + "/schemas"));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    @Test
    void aSchemaVersionPublishedBeforeTheRetryDoesNotMoveTheRestOfTheObject() {
        ObjectNode record = fixture.put("orders/while-v2-lands.jsonl", utf8(orders(1, 5)));
        failFirstAttemptAfterOnePart(record);

        publish("schemas/orders/v2.json", resource("/schemas/orders/v1.json"));
        JsonNode retry = fixture.invoke(new S3IngestHandler(env), event(record));

        assertEquals(3, retry.get("written").asLong());
        assertEquals(2, retry.get("duplicates").asLong());
        assertCountsAddUp(retry);
        assertEquals(List.of(), fixture.keys("raw/s3/orders/schema=v2/"), "the object began under v1 and ends there");
        assertEquals(5, fixture.rawRecords().size());
    }

    @Test
    void aRouteMovedBeforeTheRetryDoesNotMoveTheRestOfTheObject() {
        ObjectNode record = fixture.put("orders/while-rerouted.jsonl", utf8(orders(1, 5)));
        failFirstAttemptAfterOnePart(record);

        routeOrdersTo("archive");
        S3IngestHandler cold = new S3IngestHandler(env);
        JsonNode retry = fixture.invoke(cold, event(record));
        JsonNode again = fixture.invoke(cold, event(record));

        assertEquals(3, retry.get("written").asLong());
        assertEquals(List.of(), fixture.keys("raw/s3/archive/"));
        assertEquals(5, again.get("duplicates").asLong(), "once settled, a re-delivery is all duplicates");
        assertEquals(5, fixture.rawRecords().size());

        ObjectNode next = fixture.put("orders/after-the-move.jsonl", utf8(orders(6, 7)));
        fixture.invoke(cold, event(next));
        assertEquals(1, fixture.keys("raw/s3/archive/").size(), "an object started after the move follows it");
    }

    @Test
    void aGzipLevelChangedBeforeTheRetryDoesNotChangeTheBytesOfTheRestOfTheObject() {
        ObjectNode record = fixture.put("orders/while-the-level-changes.jsonl", utf8(orders(1, 5)));
        failFirstAttemptAfterOnePart(record, withGzipLevel(9));

        JsonNode retry = fixture.invoke(new S3IngestHandler(withGzipLevel(1)), event(record));

        assertEquals(3, retry.get("written").asLong());
        assertEquals(2, retry.get("duplicates").asLong());
        List<String> parts = fixture.keys("raw/");
        assertEquals(3, parts.size());
        for (String key : parts) {
            byte[] stored = fixture.s3.getObjectAsBytes(g -> g.bucket(S3Fixture.RAW).key(key)).asByteArray();
            byte[] lines = gunzip(stored);
            assertFalse(Arrays.equals(gzipAt(1, lines), gzipAt(9, lines)), "levels 1 and 9 differ on " + key);
            assertArrayEquals(gzipAt(9, lines), stored, key + " is gzipped at the level its object began with");
        }
    }

    private Map<String, String> withGzipLevel(int level) {
        Map<String, String> leveled = new HashMap<>(env);
        leveled.put("PART_GZIP_LEVEL", Integer.toString(level));
        return leveled;
    }

    private void failFirstAttemptAfterOnePart(ObjectNode record) {
        failFirstAttemptAfterOnePart(record, env);
    }

    private void failFirstAttemptAfterOnePart(ObjectNode record, Map<String, String> firstEnv) {
        proxy.fail(FaultInjectingProxy.putTo("-000000000003.jsonl.gz"), 100, 500, "InternalError");
        S3IngestHandler warm = new S3IngestHandler(firstEnv);
        assertThrows(RuntimeException.class, () -> fixture.invoke(warm, event(record)));
        proxy.clear();
        assertEquals(1, fixture.keys("raw/").size(), "the first attempt wrote lines 1-2 only");
    }

    private void routeOrdersTo(String dataset) {
        publish("ingest.json", "{\"routes\":[{\"prefix\":\"orders/\",\"dataset\":\"" + dataset + "\"}]}");
    }

    private void publish(String key, String text) {
        fixture.s3.putObject(p -> p.bucket(CONFIG).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private static byte[] gzipAt(int level, byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ConfigChangeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
