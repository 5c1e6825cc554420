package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.rawzone.functions.s3.S3Fixture.MAPPER;
import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.concat;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.gzip;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage found part-way through an object: records before it are written once, and the whole-object copy in
 * quarantine covers the unreadable remainder from the first line not accounted elsewhere, counted as one unit.
 */
class DamagedObjectTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private S3Fixture fixture;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of("PART_MAX_RECORDS", "100"));
    }

    @Test
    void recordsBeforeTheDamageAreWrittenAndTheRemainderIsOneQuarantinedUnit() {
        byte[] damagedTail = Arrays.copyOf(gzip(utf8(orders(251, 300))), 20);
        ObjectNode record = fixture.put("orders/cut.jsonl.gz", concat(gzip(utf8(orders(1, 250))), damagedTail));

        ObjectNode report = fixture.invoke(handler, event(record));

        JsonNode object = report.get("objects").get(0);
        assertEquals(251, object.get("in").asLong(), object.toString());
        assertEquals(250, object.get("written").asLong());
        assertEquals(1, object.get("quarantined").asLong());
        assertCountsAddUp(report);
        assertRemainder(object.get("unreadable"), 251, "truncated");
        assertEquals(1, report.get("unreadable_units").asLong());
        assertEquals(orderIds(1, 250), writtenOrderIds());
        String copy = object.get("unreadable").get("quarantine_key").asText();
        Map<String, String> metadata = fixture.s3.headObject(h -> h.bucket(S3Fixture.RAW).key(copy)).metadata();
        assertEquals("251", metadata.get("covers-from-line"), metadata.toString());
        assertEquals("remainder", metadata.get("covers"));
        assertRemainder(manifest().get("unreadable"), 251, "truncated");
        assertEquals(251, manifest().get("counts").get("in").asLong());

        ObjectNode again = fixture.invoke(handler, event(record));

        assertEquals(251, again.get("duplicates").asLong(), again.toString());
        assertEquals(1, again.get("unreadable_units").asLong());
        assertRemainder(again.get("objects").get(0).get("unreadable"), 251, "truncated");
        assertEquals(orderIds(1, 250), writtenOrderIds());
    }

    @Test
    void plainLinesAppendedToAGzipObjectAreTheQuarantinedRemainderNotSilentlyDropped() {
        ObjectNode record = fixture.put("orders/appended.jsonl.gz", concat(gzip(utf8(orders(1, 3))), utf8(orders(4, 5))));

        ObjectNode report = fixture.invoke(handler, event(record));

        JsonNode object = report.get("objects").get(0);
        assertEquals(3, object.get("written").asLong(), object.toString());
        assertEquals(1, object.get("quarantined").asLong());
        assertCountsAddUp(report);
        assertRemainder(object.get("unreadable"), 4, "not another gzip member");
        assertEquals(orderIds(1, 3), writtenOrderIds());
    }

    @Test
    void anUnroutableObjectIsOneWholeObjectOfUnknownRecordCount() {
        ObjectNode report = fixture.invoke(handler, event(fixture.put("elsewhere/file.jsonl", utf8(orders(1, 2)))));

        JsonNode object = report.get("objects").get(0);
        assertEquals(1, object.get("in").asLong());
        assertEquals(1, object.get("quarantined").asLong());
        JsonNode unreadable = object.get("unreadable");
        assertEquals("whole_object", unreadable.get("covers").asText(), unreadable.toString());
        assertEquals(1, unreadable.get("from_line").asLong());
        assertTrue(unreadable.get("record_count").isNull(), "a count nobody knows is not guessed");
        assertEquals("whole_object", manifest().get("unreadable").get("covers").asText());
        assertEquals(1, report.get("unreadable_units").asLong());
    }

    private static void assertRemainder(JsonNode unreadable, long fromLine, String reason) {
        assertEquals("remainder", unreadable.get("covers").asText(), unreadable.toString());
        assertEquals(fromLine, unreadable.get("from_line").asLong());
        assertTrue(unreadable.get("record_count").isNull());
        assertTrue(unreadable.get("reason").asText().contains(reason), unreadable.toString());
    }

    private JsonNode manifest() {
        List<String> manifests = fixture.manifestKeys();
        assertEquals(1, manifests.size(), manifests.toString());
        try {
            return MAPPER.readTree(fixture.s3.getObjectAsBytes(g -> g.bucket(S3Fixture.RAW).key(manifests.get(0)))
                    .asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> writtenOrderIds() {
        return fixture.rawRecords().stream().map(r -> r.get("order_id").asText()).sorted().toList();
    }

    private static List<String> orderIds(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "o-" + i).sorted().toList();
    }
}
