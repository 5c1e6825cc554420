package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RevalidationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Revalidation.Target V2 = new Revalidation.Target("quarantine/s3/orders/dt=2026-11-25/q.jsonl.gz",
            "s3://landing/orders/day1.jsonl?versionId=1", "orders", 2);

    private final Revalidation revalidation;

    RevalidationTest() {
        RederiveFixture.Schemas schemas = new RederiveFixture.Schemas();
        schemas.put("orders", 1, RederiveFixture.ORDERS_V1);
        schemas.put("orders", 2, RederiveFixture.ORDERS_V2);
        revalidation = new Revalidation(new RecordValidator(new SchemaCatalogue(schemas)), MAPPER);
    }

    @Test
    void aQuarantinedRecordIsTakenFromItsEntryByteForByte() {
        String record = "{\"id\":\"b\" , \"amount\":1.50,\"note\":\"{\\\"record\\\":1} \\u00e9 é\"}";
        byte[] entry = utf8("{\"source\":\"s3://x\",\"record_note\":{\"record\":2},\"line\":7,\"reason\":\"r\","
                + "\"schema_version\":1,\"record\":" + record + "}");

        Revalidation.Checked checked = revalidation.entry(V2, entry);

        assertEquals(Revalidation.Verdict.VALID, checked.verdict());
        assertEquals(record, new String(checked.record(), StandardCharsets.UTF_8));
        assertEquals(Optional.of(Position.of(7)), checked.position());
    }

    @Test
    void aRecordStillRefusedGetsANewReasonAndKeepsTheRestOfItsEntry() throws IOException {
        byte[] entry = utf8("{\"source\":\"kinesis://s\",\"sequence\":\"4955\",\"sub_sequence\":3,\"reason\":\"old\","
                + "\"schema_version\":1,\"record\":{\"id\":\"c\",\"amount\":5000}}");

        Revalidation.Checked checked = revalidation.entry(V2, entry);

        assertEquals(Revalidation.Verdict.INVALID, checked.verdict());
        JsonNode rewritten = MAPPER.readTree(checked.entry());
        assertEquals("4955", rewritten.get("sequence").asText());
        assertEquals(2, rewritten.get("schema_version").asInt());
        assertEquals(V2.inputKey(), rewritten.get("derived_from").asText());
        assertEquals("{\"id\":\"c\",\"amount\":5000}", rewritten.get("record").toString());
        assertEquals(Optional.of(Position.of("4955", 3)), checked.position());
    }

    @Test
    void anEntryWithoutARecordStaysAsItWas() {
        byte[] entry = utf8("{\"source\":\"s3://x\",\"line\":5,\"reason\":\"not JSON\",\"schema_version\":null,"
                + "\"raw\":\"{broken\"}");

        Revalidation.Checked checked = revalidation.entry(V2, entry);

        assertEquals(Revalidation.Verdict.UNREADABLE, checked.verdict());
        assertNull(checked.record());
        assertEquals(new String(entry, StandardCharsets.UTF_8), new String(checked.entry(), StandardCharsets.UTF_8));
    }

    @Test
    void aRecordDeclaringAVersionAboveTheTargetIsRefused() {
        Revalidation.Checked checked = revalidation.record(V2, 1, utf8("{\"id\":\"x\",\"amount\":1,\"schema_version\":3}"));

        assertEquals(Revalidation.Verdict.INVALID, checked.verdict());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
