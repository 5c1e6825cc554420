package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.VerbatimRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.concat;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.gzip;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3IngestHandlerTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private S3Fixture fixture;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of());
    }

    @ParameterizedTest(name = "{0} gzip={1}")
    @CsvSource({"jsonl,false", "jsonl,true", "csv,false", "csv,true"})
    void ingestsEveryRecordOnceWithLineage(String format, boolean gzipped) {
        String body = format.equals("jsonl") ? orders(1, 5)
                : "customer_id,name,email,country\nc-1,Ada,ada@example.com,GB\nc-2,\"Lovelace, Ada\",al@example.com,\n"
                + "c-3,\"Multi\nline\",m@example.com,FR\nc-4,Bob,bob@example.com,DE\nc-5,Eve,eve@example.com,US\n";
        String key = (format.equals("jsonl") ? "orders/2026-11-25/batch" : "customers/2026-11-25/batch")
                + "." + format + (gzipped ? ".gz" : "");
        byte[] bytes = gzipped ? gzip(utf8(body)) : utf8(body);

        ObjectNode report = fixture.invoke(handler, event(fixture.put(key, bytes)));

        assertEquals(5, report.get("in").asLong());
        assertEquals(5, report.get("written").asLong());
        assertCountsAddUp(report);
        assertEquals(5, fixture.rawRecords().size());
        String dataKey = report.get("objects").get(0).get("dataKeys").get(0).asText();
        String dataset = format.equals("jsonl") ? "orders" : "customers";
        assertTrue(dataKey.startsWith("raw/s3/" + dataset + "/schema=v1/dt="), dataKey);
        Map<String, String> lineage = fixture.s3.headObject(h -> h.bucket(S3Fixture.RAW).key(dataKey)).metadata();
        assertEquals("5", lineage.get("record-count"));
        assertEquals(format.equals("jsonl") ? "1" : "2", lineage.get("position-first"), "CSV data starts after the header");
        assertEquals("1", lineage.get("schema-version"));
        assertTrue(lineage.get("source-identity").startsWith("s3://" + S3Fixture.LANDING + "/"), lineage.toString());
        assertEquals(1, fixture.keys("manifests/s3/" + dataset + "/").size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"LF gzip,LF,false,true", "CRLF,CRLF,false,false", "byte order mark,LF,true,true"})
    void validRecordsAreStoredAsTheBytesOfTheirLineWithoutCarriageReturnOrByteOrderMark(
            String name, String lineBreak, boolean bom, boolean gzipped) {
        List<String> lines = VerbatimRecords.lines(S3IngestHandlerTest::orderFields);
        byte[] body = VerbatimRecords.body(lines, lineBreak.equals("LF") ? "\n" : "\r\n");
        byte[] content = bom ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body) : body;

        ObjectNode report = fixture.invoke(handler, event(fixture.put("orders/verbatim.jsonl",
                gzipped ? gzip(content) : content)));

        assertEquals(lines.size(), report.get("written").asLong(), report.toString());
        VerbatimRecords.assertStoredVerbatim(new RawZoneReader(fixture.s3, S3Fixture.RAW), "raw/", lines);
    }

    @Test
    void aSchemaInvalidRecordIsQuarantinedWithItsOwnText() {
        String invalid = "{\"order_id\":\"o-1\", \"amount\":1e400,\"note\":\"caf\\u00e9 \uD83D\uDE00\"}";

        fixture.invoke(handler, event(fixture.put("orders/invalid.jsonl", utf8(invalid + "\n"))));

        String entry = new RawZoneReader(fixture.s3, S3Fixture.RAW).lines("quarantine/").get(0);
        assertTrue(entry.contains("\"record\":" + invalid), entry);
    }

    @Test
    void csvValuesAreTypedByTheSchemaAndBlankOptionalValuesBecomeNull() {
        fixture.invoke(handler, event(fixture.put("customers/typed.csv",
                utf8("customer_id,name,email,country\nc-1,Ada,ada@example.com,\n"))));

        JsonNode customer = fixture.rawRecords().get(0);
        assertTrue(customer.get("country").isNull(), customer.toString());
        assertEquals("Ada", customer.get("name").asText());
    }

    @Test
    void theSameObjectAnnouncedTwiceIsWrittenOnce() {
        ObjectNode record = fixture.put("orders/twice.jsonl", utf8(orders(1, 3)));
        fixture.invoke(handler, event(record));
        int versionsAfterFirst = fixture.versionCount();

        ObjectNode second = fixture.invoke(handler, event(record));
        ObjectNode sameEventTwice = fixture.invoke(handler, event(record, record));

        assertEquals(3, second.get("duplicates").asLong());
        assertEquals(0, second.get("written").asLong());
        assertEquals("ALREADY_INGESTED", second.get("objects").get(0).get("outcome").asText());
        assertEquals(3, sameEventTwice.get("duplicates").asLong());
        assertEquals(1, sameEventTwice.get("ignored").size());
        assertCountsAddUp(second);
        assertEquals(versionsAfterFirst, fixture.versionCount());
        assertEquals(3, fixture.rawRecords().size());
    }

    @Test
    void aNewVersionOfTheSameKeyIsNewData() {
        ObjectNode first = fixture.put("orders/same-key.jsonl", utf8(orders(1, 2)));
        ObjectNode second = fixture.put("orders/same-key.jsonl", utf8(orders(3, 5)));

        ObjectNode report = fixture.invoke(handler, event(first, second));

        assertEquals(5, report.get("written").asLong());
        assertEquals(List.of("o-1", "o-2", "o-3", "o-4", "o-5"), orderIds(fixture.rawRecords()));
        assertEquals(2, fixture.keys("manifests/s3/orders/").size());
        assertEquals(2, fixture.keys("manifests/s3/decisions/").size(), "a decision per object version");
    }

    @Test
    void keysWithSpacesPlusSignsAndUnicodeAreDecodedAndOutputKeysAreSanitised() {
        String key = "orders/2026-11-25/my file+1 é.jsonl";
        ObjectNode record = fixture.put(key, utf8(orders(1, 2)));
        assertEquals("orders/2026-11-25/my+file%2B1+%C3%A9.jsonl", record.get("s3").get("object").get("key").asText());

        ObjectNode report = fixture.invoke(handler, event(record));

        assertEquals(key, report.get("objects").get(0).get("key").asText());
        assertEquals(2, report.get("written").asLong());
        for (String written : fixture.keys("")) {
            assertTrue(written.matches("[A-Za-z0-9._=/-]+"), written);
        }
    }

    @Test
    void aTestEventAndARemovalAreLoggedAndIgnored() {
        ObjectNode removal = fixture.record("ObjectRemoved:Delete", "orders/gone.jsonl", null, null, 0);
        String testEvent = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-25T10:00:00.000Z\","
                + "\"Bucket\":\"" + S3Fixture.LANDING + "\",\"RequestId\":\"R\",\"HostId\":\"H\"}";

        ObjectNode removed = fixture.invoke(handler, event(removal));
        ObjectNode tested = fixture.invoke(handler, testEvent);

        assertEquals(0, removed.get("in").asLong());
        assertTrue(removed.get("ignored").get(0).get("reason").asText().contains("removal"));
        assertTrue(tested.get("ignored").get(0).get("reason").asText().contains("s3:TestEvent"));
        assertEquals(List.of(), fixture.keys(""));
    }

    @Test
    void badRecordsGoToQuarantineWithReasonLineAndSource() {
        String body = S3Fixture.order(1) + "\n"
                + "{not json\n"
                + "{\"order_id\":\"o-3\",\"customer_id\":\"c\",\"amount\":\"abc\",\"currency\":\"EUR\",\"created_at\":\"x\"}\n"
                + "{\"order_id\":\"o-4\",\"amount\":1,\"currency\":\"EUR\",\"created_at\":\"x\"}\n";
        byte[] bytes = concat(utf8(body), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});

        ObjectNode report = fixture.invoke(handler, event(fixture.put("orders/bad-rows.jsonl", bytes)));

        assertEquals(5, report.get("in").asLong());
        assertEquals(1, report.get("written").asLong());
        assertEquals(4, report.get("quarantined").asLong());
        assertCountsAddUp(report);
        Map<Long, String> reasons = fixture.quarantined().stream()
                .collect(Collectors.toMap(entry -> entry.get("line").asLong(), entry -> entry.get("reason").asText()));
        assertTrue(reasons.get(2L).contains("invalid JSON"), reasons.toString());
        assertTrue(reasons.get(3L).contains("amount"), reasons.toString());
        assertTrue(reasons.get(4L).contains("customer_id"), reasons.toString());
        assertTrue(reasons.get(5L).contains("UTF-8"), reasons.toString());
        JsonNode entry = fixture.quarantined().get(0);
        assertTrue(entry.get("source").asText().startsWith("s3://" + S3Fixture.LANDING + "/orders/bad-rows.jsonl?versionId="));
        Map<Long, JsonNode> versions = fixture.quarantined().stream()
                .collect(Collectors.toMap(e -> e.get("line").asLong(), e -> e.get("schema_version")));
        assertEquals(1, versions.get(3L).asInt(), "a schema violation names the version it failed");
        assertTrue(versions.get(2L).isNull(), "an unreadable record was checked against no schema");
    }

    @Test
    void aCsvRowWithTheWrongFieldCountIsQuarantined() {
        ObjectNode report = fixture.invoke(handler, event(fixture.put("customers/short.csv",
                utf8("customer_id,name,email,country\nc-1,Ada,ada@example.com,GB\nc-2,Bob\n"))));

        assertEquals(1, report.get("written").asLong());
        assertEquals(1, report.get("quarantined").asLong());
        JsonNode entry = fixture.quarantined().get(0);
        assertEquals(3, entry.get("line").asLong());
        assertTrue(entry.get("reason").asText().contains("expected 4 fields, found 2"), entry.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "truncated gzip, orders/truncated.jsonl.gz, truncated",
            "binary, orders/photo.jsonl, binary",
            "no route, elsewhere/file.jsonl, no route",
            "unknown format, orders/report.xlsx, unknown format"})
    void unreadableObjectsAreQuarantinedWholeWithTheReason(String name, String key, String reason) {
        byte[] body = switch (name) {
            case "truncated gzip" -> java.util.Arrays.copyOf(gzip(utf8(orders(1, 200))), 12);
            case "binary" -> new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
            default -> utf8(orders(1, 2));
        };

        ObjectNode report = fixture.invoke(handler, event(fixture.put(key, body)));

        JsonNode object = report.get("objects").get(0);
        assertEquals("QUARANTINED_WHOLE", object.get("outcome").asText());
        assertTrue(object.get("reason").asText().contains(reason), object.toString());
        assertCountsAddUp(report);
        assertEquals(0, report.get("written").asLong());
        String copy = object.get("quarantineKeys").get(0).asText();
        assertTrue(copy.startsWith("quarantine/s3/") && copy.endsWith(".object"), copy);
        Map<String, String> metadata = fixture.s3.headObject(h -> h.bucket(S3Fixture.RAW).key(copy)).metadata();
        assertTrue(metadata.get("reason").contains(reason), metadata.toString());
        assertEquals("whole-object", metadata.get("covers"), "nothing of it was read as records");
        assertEquals("whole_object", object.get("unreadable").get("covers").asText(), object.toString());
        assertEquals(body.length, fixture.s3.getObjectAsBytes(g -> g.bucket(S3Fixture.RAW).key(copy)).asByteArray().length);
        assertEquals(List.of(), fixture.keys("raw/"));
    }

    @Test
    void anObjectDeletedBeforeItIsReadIsCountedNotRetried() {
        ObjectNode record = fixture.put("orders/deleted.jsonl", utf8(orders(1, 2)));
        String versionId = record.get("s3").get("object").get("versionId").asText();
        fixture.s3.deleteObject(d -> d.bucket(S3Fixture.LANDING).key("orders/deleted.jsonl").versionId(versionId));

        ObjectNode report = fixture.invoke(handler, event(record));

        assertEquals("MISSING", report.get("objects").get(0).get("outcome").asText());
        assertEquals(0, report.get("in").asLong());
        assertEquals(List.of(), fixture.keys(""));
    }

    @Test
    void anEventBridgeRoutedNotificationWithItsUnencodedKeyIsTheSameObjectAsTheDirectOne() {
        ObjectNode record = fixture.put("orders/2026-11-25/via bridge+1.jsonl", utf8(orders(1, 4)));
        String bridged = S3Fixture.eventBridge(record, "orders/2026-11-25/via bridge+1.jsonl");

        ObjectNode viaBridge = fixture.invoke(handler, bridged);
        ObjectNode direct = fixture.invoke(handler, event(record));

        assertEquals(4, viaBridge.get("written").asLong());
        assertEquals("orders/2026-11-25/via bridge+1.jsonl", viaBridge.get("objects").get(0).get("key").asText());
        assertEquals(4, direct.get("duplicates").asLong());
        assertEquals(4, fixture.rawRecords().size());
    }

    @Test
    void withoutAVersionIdTheAnnouncedETagIdentifiesTheObject() {
        ObjectNode record = fixture.put("orders/unversioned.jsonl", utf8(orders(1, 2)));
        ((ObjectNode) record.get("s3").get("object")).remove("versionId");

        ObjectNode report = fixture.invoke(handler, event(record));

        assertEquals("INGESTED", report.get("objects").get(0).get("outcome").asText());
        assertEquals(2, report.get("written").asLong());
    }

    @Test
    void anObjectOverwrittenInAnUnversionedBucketIsLeftToItsOwnNotification() {
        ObjectNode record = fixture.put("orders/overwritten.jsonl", utf8(orders(1, 2)));
        ((ObjectNode) record.get("s3").get("object")).remove("versionId");
        fixture.put("orders/overwritten.jsonl", utf8(orders(3, 4)));

        ObjectNode report = fixture.invoke(handler, event(record));

        assertEquals("SUPERSEDED", report.get("objects").get(0).get("outcome").asText());
        assertEquals(List.of(), fixture.keys("raw/"));
    }

    @Test
    void aMalformedEventIsAClearErrorNotACrashInTheMiddle() {
        MalformedEventException error = assertThrows(MalformedEventException.class,
                () -> fixture.invoke(handler, "{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}"));

        assertTrue(error.getMessage().contains("Records[0].s3.object.key"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    private static String orderFields(int i) {
        return "\"order_id\":\"o-" + i + "\",\"customer_id\":\"c-1\",\"amount\":1.5,\"currency\":\"EUR\","
                + "\"created_at\":\"2026-11-25T10:00:00Z\"";
    }

    private static List<String> orderIds(List<JsonNode> records) {
        return records.stream().map(r -> r.get("order_id").asText()).sorted().toList();
    }
}
