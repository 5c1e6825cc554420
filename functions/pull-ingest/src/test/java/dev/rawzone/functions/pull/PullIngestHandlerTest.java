package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.VerbatimRecords;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pulling from the sample API into the emulator's raw zone: the ordinary runs, pagination and lookback. */
@PullTest
class PullIngestHandlerTest {
    private PullFixture fixture;
    private SampleApi api;

    @Test
    void firstRunFromAnEmptyCheckpointWritesEveryRecordOnceWithLineage() {
        api.seed(25, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));

        JsonNode report = invoke(fixture.handler());

        JsonNode source = report.get("sources").get(0);
        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        assertEquals(25, report.get("in").asLong());
        assertEquals(25, report.get("written").asLong());
        assertEquals(3, source.get("pages").asInt());
        assertEquals(0, source.get("checkpoint_before").get("version").asLong());
        assertTrue(source.get("checkpoint_before").get("cursor").isNull());
        assertEquals("2026-11-25T08:00:24Z", source.get("checkpoint_after").get("cursor").asText());
        assertEquals(3, source.get("checkpoint_after").get("next_page").asLong());
        fixture.assertEveryVersionExactlyOnce();

        List<String> parts = fixture.keys("raw/pull/contacts/schema=v1/dt=2026-11-25/");
        assertEquals(3, parts.size(), parts.toString());
        String first = "raw/pull/contacts/schema=v1/dt=2026-11-25/contacts-" + micros("2026-11-25T08:00:00Z") + ".1.jsonl.gz";
        assertTrue(parts.contains(first), parts.toString());
        Map<String, String> lineage = fixture.s3.headObject(h -> h.bucket(PullFixture.RAW).key(first)).metadata();
        assertEquals("10", lineage.get("record-count"));
        assertEquals(micros("2026-11-25T08:00:00Z") + ".1", lineage.get("position-first"));
        assertEquals(micros("2026-11-25T08:00:09Z") + ".10", lineage.get("position-last"));
        assertEquals("pull", lineage.get("source"));
        assertTrue(lineage.get("source-identity").startsWith("pull://contacts/127.0.0.1:"), lineage.toString());
        assertEquals(3, fixture.keys("manifests/pull/pages/contacts/").size(), "one staged page per page");
    }

    @Test
    void aSecondRunIsIncrementalAndAThirdWithNothingNewWritesNothing() {
        api.seed(25, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);
        api.seed(7, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));

        JsonNode second = invoke(handler);
        JsonNode third = invoke(handler);

        assertEquals(7, second.get("written").asLong(), second.toString());
        assertEquals(25, second.get("duplicates").asLong(), "the lookback re-read the first 25: " + second);
        assertEquals(0, third.get("written").asLong(), third.toString());
        assertEquals(32, third.get("duplicates").asLong());
        JsonNode after = third.get("sources").get(0).get("checkpoint_after");
        assertEquals("2026-11-25T08:01:06Z", after.get("cursor").asText());
        assertEquals("2026-11-25T07:51:06Z", after.get("lower_bound").asText());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void withoutALookbackOnlyTheLastTimestampIsReadAgain() {
        api.seed(25, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).lookback("PT0S"));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);

        JsonNode second = invoke(handler);

        assertEquals(1, second.get("in").asLong(), "the inclusive bound re-reads the watermark's record: " + second);
        assertEquals(1, second.get("duplicates").asLong());
        fixture.assertEveryVersionExactlyOnce();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"next_token", "link", "offset", "id", "id_offset", "change_feed"})
    void followsPaginationAcrossManyPages(String style) {
        api.seed(1000, START, Duration.ofMillis(250));
        SourceConfig config = SourceConfig.contacts(api).pageSize(25);
        switch (style) {
            case "link" -> config.linkPagination();
            case "offset" -> config.offsetPagination();
            case "id" -> config.idCursor(5);
            case "id_offset" -> config.idCursor(5).offsetPagination();
            case "change_feed" -> config.changeFeed(api);
            default -> { }
        }
        fixture.configure(config);
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        api.seed(30, START.plus(Duration.ofHours(1)), Duration.ofSeconds(1));
        JsonNode second = invoke(handler);

        assertEquals(1000, first.get("written").asLong(), first.toString());
        // offset pagination re-anchors at each page's last value, so every page after the first re-reads one record
        assertEquals(style.endsWith("offset") ? 42 : 40, first.get("sources").get(0).get("pages").asInt());
        assertEquals(30, second.get("written").asLong(), second.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void lateUpdatesInsideTheLookbackAreWrittenOnceAndReReadsAreDuplicates() {
        List<Long> ids = api.seed(40, START, Duration.ofSeconds(10));
        fixture.configure(SourceConfig.contacts(api).lookback("PT10M"));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);
        Instant watermark = START.plus(Duration.ofSeconds(390));
        api.update(ids.get(3), watermark.minus(Duration.ofMinutes(4)));   // late: older than the watermark
        api.update(ids.get(5), watermark.minus(Duration.ofSeconds(1)));   // late, just behind it
        api.update(ids.get(7), watermark.plus(Duration.ofMinutes(5)));    // an ordinary newer update

        JsonNode second = invoke(handler);
        JsonNode third = invoke(handler);

        assertEquals(3, second.get("written").asLong(), second.toString());
        assertEquals(0, third.get("written").asLong(), third.toString());
        assertTrue(third.get("duplicates").asLong() > 0, "the lookback re-read them, as duplicates");
        assertEquals(43, fixture.written().size(), "40 first versions and 3 second versions");
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void eachRecordIsStoredAsItsOwnTextInThePageWithLineBreaksBetweenItsTokensLeftOut() {
        api.respondAt(1, 200, Map.of("Content-Type", "application/json"), PullFixture.verbatimPage());
        fixture.configure(SourceConfig.contacts(api));

        JsonNode report = invoke(fixture.handler());

        assertEquals(PullFixture.verbatimRecords().size(), report.get("written").asLong(), report.toString());
        VerbatimRecords.assertStoredVerbatim(new RawZoneReader(fixture.s3, PullFixture.RAW), "raw/pull/",
                PullFixture.verbatimRecords());
    }

    @Test
    void aRecordWithADuplicateKeyIsQuarantinedWithItsTextAndTheRestOfThePageIsWritten() {
        String duplicate = "{\"id\":1,\"id\":2}";
        api.respondAt(1, 200, Map.of(), "{\"records\":[" + duplicate + ",{" + PullFixture.contactFields(3) + "}],\"has_more\":false}");
        fixture.configure(SourceConfig.contacts(api));

        JsonNode report = invoke(fixture.handler());

        assertEquals(1, report.get("written").asLong(), report.toString());
        JsonNode entry = fixture.quarantined().get(0);
        assertTrue(entry.get("reason").asText().contains("Duplicate field 'id'"), entry.toString());
        assertEquals(duplicate, entry.get("raw").asText());
    }

    @Test
    void recordsTheSchemaRefusesAreQuarantinedOnceWithTheReason() {
        List<Long> ids = api.seed(12, START, Duration.ofSeconds(1));
        api.corrupt(ids.get(4), "email", 42);
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode second = invoke(handler);

        assertEquals(11, first.get("written").asLong());
        assertEquals(1, first.get("quarantined").asLong());
        assertEquals(0, second.get("quarantined").asLong(), "re-read, not quarantined again: " + second);
        List<JsonNode> quarantined = fixture.quarantined();
        assertEquals(1, quarantined.size());
        assertEquals(ids.get(4), quarantined.get(0).get("record").get("id").asLong());
        assertTrue(quarantined.get(0).get("reason").asText().contains("email"), quarantined.toString());
        assertEquals(1, quarantined.get(0).get("schema_version").asInt());
        List<String> valid = api.versions().stream().filter(v -> v.id() != ids.get(4))
                .map(v -> v.id() + "@" + v.updatedAt()).toList();
        PullFixture.assertExactlyOnce(valid, fixture.written());
    }

    @Test
    void anEventNamingASourcePullsOnlyThatSource() {
        api.seed(5, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api), SourceConfig.contacts(api).name("contacts-copy"));
        PullIngestHandler handler = fixture.handler();

        JsonNode report = invoke(handler, Map.of("source", "contacts-copy"), Duration.ofMinutes(15));

        assertEquals(1, report.get("sources").size());
        assertEquals("contacts-copy", report.get("sources").get(0).get("source").asText());
        assertEquals(0, fixture.checkpoint("contacts").version());
        fixture.assertEveryVersionExactlyOnce();
        assertThrows(MalformedEventException.class,
                () -> invoke(handler, Map.of("source", "nope"), Duration.ofMinutes(15)));
        assertThrows(MalformedEventException.class,
                () -> invoke(handler, Map.of("sauce", "contacts"), Duration.ofMinutes(15)));
    }

    @Test
    void aDryRunSaysWhereEachSourceWouldStartWithoutCallingTheApi() {
        api.seed(5, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);
        int requests = api.requestCount();

        List<com.fasterxml.jackson.databind.node.ObjectNode> plan = handler.plan(new ByteArrayInputStream(
                "{\"detail-type\":\"Scheduled Event\",\"detail\":{}}".getBytes(StandardCharsets.UTF_8)));

        assertEquals(requests, api.requestCount(), "the dry run calls no API");
        assertEquals(1, plan.size());
        assertEquals("pull", plan.get(0).get("action").asText());
        assertEquals("2026-11-25T08:00:04Z", plan.get(0).get("checkpoint").get("cursor").asText());
        assertTrue(plan.get(0).get("first_request").asText().contains("updated_since=2026-11-25T07%3A50%3A04Z"),
                plan.toString());
        assertFalse(plan.toString().contains(PullFixture.TOKEN));
        Checkpoint unchanged = fixture.checkpoint("contacts");
        assertEquals(1, unchanged.version());
        assertNull(plan.get(0).get("note"));
    }

    @Test
    void aDryRunWithoutItsConfigurationPlansFromTheEventAlone() {
        PullIngestHandler handler = new PullIngestHandler(PullIngestWiring.fromEnvironment(
                fixture.environment(Map.of("PULL_SOURCES", "ssm:/rawzone/pull/not-there"))));

        List<com.fasterxml.jackson.databind.node.ObjectNode> plan = handler.plan(new ByteArrayInputStream(
                "{\"detail\":{\"source\":\"contacts\"}}".getBytes(StandardCharsets.UTF_8)));

        assertEquals(1, plan.size());
        assertEquals("contacts", plan.get(0).get("sources").asText());
        assertTrue(plan.get(0).get("note").asText().contains("/rawzone/pull/not-there does not exist"), plan.toString());
        assertThrows(MalformedEventException.class, () -> handler.plan(new ByteArrayInputStream(
                "{\"detail\":{\"sauce\":\"contacts\"}}".getBytes(StandardCharsets.UTF_8))));
    }

    private static long micros(String instant) {
        return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }
}
