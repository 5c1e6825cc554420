package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that misbehave against the API's order: without an id or a cursor value (no place in the order), or with
 * a cursor value in the future; each is accounted for once however often the lookback re-reads it, and none of
 * them moves the watermark past records still to come.
 */
@PullTest
class PullQuarantineAndWatermarkTest {

    private static final String NO_ID = "{\"name\":\"No Id\",\"email\":\"noid@example.com\","
            + "\"updated_at\":\"2026-11-25T08:00:02Z\"}";
    private static final String NO_CURSOR = "{\"id\":77,\"name\":\"No Stamp\",\"email\":\"nostamp@example.com\"}";

    private PullFixture fixture;
    private SampleApi api;

    private static String page(String... records) {
        return "{\"records\":[" + String.join(",", records) + "],\"has_more\":false}";
    }

    private static String contact(int i) {
        return "{" + PullFixture.contactFields(i) + "}";
    }

    /** Contact {@code i} with an email the schema refuses. */
    private static String refused(int i) {
        return "{\"id\":" + i + ",\"name\":\"Contact " + i + "\",\"email\":42,\"updated_at\":\"2026-11-25T08:00:0" + i
                + "Z\"}";
    }

    @Test
    void aRecordWithoutAnIdOrACursorValueIsQuarantinedOnceHoweverOftenItIsReRead() {
        String body = page(NO_CURSOR, contact(1), NO_ID, contact(3));
        api.respondAt(1, 200, Map.of(), body);
        api.respondAt(2, 200, Map.of(), body);
        api.respondAt(3, 200, Map.of(), page(contact(3), NO_ID, contact(4)));
        api.respondAt(4, 200, Map.of(), page(NO_CURSOR, contact(4)));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode second = invoke(handler);
        JsonNode third = invoke(handler);
        JsonNode fourth = invoke(handler);

        assertEquals(2, first.get("quarantined").asLong(), first.toString());
        assertEquals(0, second.get("quarantined").asLong(), "re-read, not quarantined again: " + second);
        assertEquals(4, second.get("duplicates").asLong(), second.toString());
        assertEquals(0, third.get("quarantined").asLong(), "re-read among other records: " + third);
        assertEquals(1, third.get("written").asLong(), third.toString());
        assertEquals(0, fourth.get("quarantined").asLong(), "re-read alone: " + fourth);
        assertEquals(2, fourth.get("duplicates").asLong(), fourth.toString());
        List<JsonNode> quarantined = fixture.quarantined();
        assertEquals(Set.of(NO_CURSOR, NO_ID), quarantined.stream().map(entry -> entry.get("raw").asText())
                .collect(Collectors.toSet()));
        assertEquals(2, quarantined.size(), quarantined.toString());
        assertTrue(quarantined.stream().anyMatch(entry -> entry.get("reason").asText().contains("id field id")),
                quarantined.toString());
        assertEquals(2, fixture.keys("manifests/pull/unplaced/").size(), "a marker for each");
    }

    @Test
    void aNewRejectBesideARecordWithoutAPlaceIsQuarantinedAndNotTakenForADuplicate() {
        api.respondAt(1, 200, Map.of(), page(NO_ID, contact(1), refused(5), contact(6)));
        api.respondAt(2, 200, Map.of(), page(NO_ID, contact(1), refused(3), refused(5), contact(6)));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode second = invoke(handler);

        assertEquals(2, first.get("quarantined").asLong(), first.toString());
        assertEquals(1, second.get("quarantined").asLong(), "contact 3 is a new reject: " + second);
        assertEquals(4, second.get("duplicates").asLong(), second.toString());
        List<JsonNode> quarantined = fixture.quarantined();
        assertEquals(3, quarantined.size(), quarantined.toString());
        assertEquals(List.of(3L, 5L), quarantined.stream().filter(entry -> entry.has("record"))
                .map(entry -> entry.get("record").get("id").asLong()).sorted().toList());
        assertTrue(fixture.keys("quarantine/pull/").stream().anyMatch(key -> key.endsWith("-unplaced-"
                + KeyParts.sha256Hex(NO_ID.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".jsonl.gz")), fixture.keys("quarantine/pull/").toString());
    }

    @Test
    void anInvalidRecordsFarFutureCursorValueDoesNotMoveTheWatermark() {
        String farFuture = "{\"id\":9,\"name\":\"Contact 9\",\"email\":42,\"updated_at\":\"2200-01-01T00:00:00Z\"}";
        api.respondAt(1, 200, Map.of(), page(contact(1), contact(2), farFuture));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        String cursor = fixture.checkpoint("contacts").state().get("cursor");
        api.seed(4, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));
        JsonNode second = invoke(handler);

        assertEquals(1, first.get("quarantined").asLong(), first.toString());
        assertEquals("2026-11-25T08:00:02Z", cursor, "the highest cursor value written");
        assertEquals(4, second.get("written").asLong(), "the records after the watermark are asked for: " + second);
        assertEquals(1, fixture.quarantined().size());
    }

    @Test
    void aValidRecordStampedInTheFutureIsWrittenButTheWatermarkStopsAtTheFetchTime() {
        String future = "{\"id\":8,\"name\":\"Contact 8\",\"email\":\"c8@example.com\","
                + "\"updated_at\":\"2999-01-01T00:00:00Z\"}";
        api.respondAt(1, 200, Map.of(), page(contact(1), future));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        JsonNode first = invoke(handler);
        Instant after = Instant.now();
        Instant cursor = Instant.parse(fixture.checkpoint("contacts").state().get("cursor"));
        api.seed(3, after.plusSeconds(1), Duration.ofSeconds(1));
        api.respondAt(3, 200, Map.of(), page(future));
        JsonNode second = invoke(handler);
        JsonNode third = invoke(handler);

        assertEquals(2, first.get("written").asLong(), first.toString());
        assertTrue(!cursor.isBefore(before) && !cursor.isAfter(after), "the watermark is the fetch time: " + cursor);
        assertEquals(3, second.get("written").asLong(), "records stamped after the first run are asked for: " + second);
        assertEquals(1, third.get("duplicates").asLong(), "the future record, re-read, is a duplicate: " + third);
        assertEquals(0, third.get("written").asLong(), third.toString());
    }
}
