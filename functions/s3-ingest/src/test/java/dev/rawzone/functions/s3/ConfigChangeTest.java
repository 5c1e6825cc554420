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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A configuration published between a failed attempt and its retry (a new schema version, a route moved to another
 * dataset) applies to objects not started yet: the retry, in a container that read the new configuration, finishes
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

    private void failFirstAttemptAfterOnePart(ObjectNode record) {
        proxy.fail(FaultInjectingProxy.putTo("-000000000003.jsonl.gz"), 100, 500, "InternalError");
        S3IngestHandler warm = new S3IngestHandler(env);
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

    private static String resource(String name) {
        try (InputStream in = ConfigChangeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
