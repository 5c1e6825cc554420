package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSource;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * {@link SourcePuller#check}: one page from a fresh checkpoint, judged as a pull would judge it, against the
 * testkit's loopback API, with a raw zone and a checkpoint store that must never be touched.
 */
class SourceCheckTest {
    private static final String TOKEN = "check-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object", "required": ["id", "email"], "properties": {"email": {"type": "string"}}}""";

    private final SampleApi api = SampleApi.start(TOKEN);
    private final ConditionalSink raw = mock(ConditionalSink.class);
    private final CheckpointStore checkpoints = mock(CheckpointStore.class);
    private final SourcePuller puller = new SourcePuller(checkpoints, raw,
            PageFetcher.create(Clock.systemUTC(), Sleeper.real(), new SplittableRandom(1)), reference -> TOKEN,
            new SchemaCatalogue(new OneSchema()), PartPolicy.defaults(), MAPPER, Clock.systemUTC(), 100);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void repeatsUnplaceableAndInvalidRecordsAreShownWithTheirReasonsAndTheCheckpointCountsTheRest() {
        api.respondAt(1, 200, Map.of("Content-Type", "application/json"), """
                {"records": [
                  {"id": 7, "email": "a@example.com", "updated_at": "2026-11-20T09:00:00Z"},
                  {"id": 7, "email": "a@example.com", "updated_at": "2026-11-20T09:00:00Z"},
                  {"id": 8, "email": "b@example.com"},
                  {"id": 9, "email": 9, "updated_at": "2026-11-20T09:01:00.5Z"}
                ], "next_page_token": null, "has_more": false}""");

        JsonNode check = puller.check(source("timestamp", "updated_at", "updated_since", "PT1M"), budget());

        assertEquals("ok", check.get("status").asText(), check.toString());
        assertEquals("GET " + api.endpoint() + "?limit=50", check.get("request").asText());
        List<String> outcomes = check.get("records").findValuesAsText("outcome");
        assertEquals(List.of("write", "duplicate", "quarantine", "quarantine"), outcomes, check.toString());
        JsonNode invalid = check.get("records").get(3);
        assertEquals("\"2026-11-20T09:01:00.5Z\"", invalid.get("cursor").toString(), "the cursor as the API sent it");
        assertEquals(9, invalid.get("id").asInt());
        assertTrue(invalid.get("reason").asText().contains("$.email"), invalid.toString());
        assertTrue(check.get("records").get(2).get("reason").asText().contains("cursor field updated_at"),
                check.toString());
        assertEquals("{\"in\":4,\"written\":1,\"quarantined\":2,\"duplicates\":1}", check.get("counts").toString());
        JsonNode after = check.get("checkpoint_after");
        assertEquals("2026-11-20T09:00:00Z", after.get("cursor").asText(), "only what is written moves the watermark");
        assertEquals("2026-11-20T08:59:00Z", after.get("lower_bound").asText());
        assertEquals(2, after.get("seen").asInt(), "the invalid record is settled, at or above the lower bound");
        verifyNoInteractions(raw, checkpoints);
    }

    @Test
    void thePartsAreTheOnesARunWritesAndARecordWithoutACursorValueIsQuarantinedInAnEntryOfItsOwn() {
        JsonNode check = checkOf("PT1M",
                "{\"id\": 1, \"email\": \"a@example.com\", \"updated_at\": \"2026-11-20T09:00:00Z\"}",
                "{\"id\": 2, \"email\": \"b@example.com\"}",
                "{\"id\": 3, \"email\": 3, \"updated_at\": \"2026-11-20T09:02:00Z\"}",
                "{\"id\": 4, \"email\": \"d@example.com\", \"updated_at\": \"2026-11-20T09:03:00Z\"}");

        assertEquals("ok", check.get("status").asText(), check.toString());
        JsonNode records = check.get("records");
        assertEquals(List.of("write", "quarantine", "quarantine", "write"), records.findValuesAsText("outcome"));
        JsonNode parts = check.get("parts");
        assertEquals(3, parts.size(), parts.toString());
        JsonNode data = parts.get(0);
        assertEquals("raw/pull/people/schema=v1/dt=2026-11-20/people-" + records.get(0).get("position").asText()
                + ".jsonl.gz", data.get("key").asText(), parts.toString());
        assertEquals(2, data.get("records").asInt());
        assertEquals(records.get(0).get("position").asText(), data.get("first").asText());
        assertEquals(records.get(3).get("position").asText(), data.get("last").asText());
        assertEquals(data.get("key").asText(), records.get(3).get("part").asText(), records.toString());
        String unplaced = records.get(1).get("part").asText();
        assertTrue(unplaced.startsWith("quarantine/pull/people/") && unplaced.contains("/people-unplaced-"), unplaced);
        assertTrue(records.get(1).get("reason").asText().contains("cursor field updated_at"), records.toString());
        assertTrue(records.get(2).get("part").asText().endsWith("/people-" + records.get(2).get("position").asText()
                + ".jsonl.gz"), records.toString());
        assertEquals(List.of(unplaced, records.get(2).get("part").asText()).stream().sorted().toList(),
                List.of(parts.get(1).get("key").asText(), parts.get(2).get("key").asText()), parts.toString());
        verifyNoInteractions(raw, checkpoints);
    }

    @Test
    void aCursorValueInTheFutureDoesNotMoveTheCheckpointPastTheTimeThePageWasFetched() {
        Instant before = Instant.now();

        JsonNode check = checkOf("PT0S",
                "{\"id\": 1, \"email\": \"a@example.com\", \"updated_at\": \"2026-11-20T09:00:00Z\"}",
                "{\"id\": 2, \"email\": \"b@example.com\", \"updated_at\": \"2999-01-01T00:00:00Z\"}");

        assertEquals(List.of("write", "write"), check.get("records").findValuesAsText("outcome"), check.toString());
        Instant cursor = Instant.parse(check.get("checkpoint_after").get("cursor").asText());
        assertTrue(!cursor.isBefore(before.minusSeconds(1)) && !cursor.isAfter(Instant.now()), check.toString());
        verifyNoInteractions(raw, checkpoints);
    }

    @Test
    void aPageThatEchoesTheCredentialIsRefusedAsARunRefusesItAndNothingOfItIsShown() {
        JsonNode check = checkOf("PT1M",
                "{\"id\": 1, \"email\": \"" + TOKEN + "\", \"updated_at\": \"2026-11-20T09:00:00Z\"}");

        assertEquals("failed", check.get("status").asText(), check.toString());
        assertTrue(check.get("reason").asText().contains("the API echoed the credential"), check.toString());
        assertFalse(check.toString().contains(TOKEN), check.toString());
        verifyNoInteractions(raw, checkpoints);
    }

    @Test
    void aBodyThatIsNotAPageIsReportedAndNotKept() {
        api.malformedAt(1);

        JsonNode check = puller.check(source("timestamp", "updated_at", "updated_since", "PT1M"), budget());

        assertEquals("failed", check.get("status").asText(), check.toString());
        assertTrue(check.get("reason").asText().startsWith("a run would stop here: malformed page 0 from GET /v1/records: "
                + "the body is not JSON"), check.toString());
        assertEquals(1, api.requestCount());
        verifyNoInteractions(raw, checkpoints);
    }

    @Test
    void aPageTokenSourceShowsTheTokenItWouldResumeFromAndAnEmptyPageMovesNothing() {
        api.seed(3, Instant.parse("2026-11-20T09:00:00Z"), Duration.ofSeconds(1));
        PullSource feed = PullSources.parse("""
                {"sources": [{"name": "feed", "dataset": "people", "endpoint": "%s",
                  "auth": {"type": "bearer", "secret": "ssm:token"},
                  "cursor": {"kind": "page_token", "field": "next_cursor", "param": "cursor", "has_more_field": "has_more"}
                }]}""".formatted(api.changesEndpoint()), MAPPER).all().get(0);

        JsonNode check = puller.check(feed, budget());
        api.clearScripted();
        api.respondAt(2, 200, Map.of(), "{\"records\": [], \"next_cursor\": \"x\"}");
        JsonNode empty = puller.check(feed, budget());

        assertEquals(List.of("0", "0.1", "0.2"), check.get("records").findValuesAsText("position"), check.toString());
        JsonNode after = check.get("checkpoint_after");
        assertTrue(after.get("cursor").asText().length() > 0, after.toString());
        assertEquals(1, after.get("next_page").asInt());
        assertEquals("{\"in\":0,\"written\":0,\"quarantined\":0,\"duplicates\":0}", empty.get("counts").toString());
        assertEquals(0, empty.get("checkpoint_after").get("version").asInt(), "an empty page is not committed");
        assertTrue(empty.get("checkpoint_after").get("cursor").isNull(), empty.toString());
        verifyNoInteractions(raw, checkpoints);
    }

    /** The check of a source whose API answers the first request with a last page of these records. */
    private JsonNode checkOf(String lookback, String... records) {
        api.respondAt(1, 200, Map.of("Content-Type", "application/json"),
                "{\"records\": [" + String.join(",\n", records) + "], \"next_page_token\": null}");
        return puller.check(source("timestamp", "updated_at", "updated_since", lookback), budget());
    }

    private PullSource source(String kind, String field, String param, String lookback) {
        return PullSources.parse("""
                {"sources": [{"name": "people", "dataset": "people", "endpoint": "%s",
                  "auth": {"type": "bearer", "secret": "secretsmanager:people-token"},
                  "cursor": {"kind": "%s", "field": "%s", "param": "%s", "lookback": "%s"},
                  "pagination": {"style": "next_token", "param": "page_token", "token_field": "next_page_token"},
                  "page_size": 50
                }]}""".formatted(api.endpoint(), kind, field, param, lookback), MAPPER).all().get(0);
    }

    private static TimeBudget budget() {
        return () -> Duration.ofSeconds(30);
    }

    /** The dataset {@code people} with one version, in memory. */
    private static final class OneSchema implements SchemaSource {
        @Override
        public Optional<String> read(String dataset, int version) {
            return dataset.equals("people") && version == 1 ? Optional.of(SCHEMA) : Optional.empty();
        }

        @Override
        public List<Integer> versions(String dataset) {
            return dataset.equals("people") ? List.of(1) : List.of();
        }

        @Override
        public String toString() {
            return "memory";
        }
    }
}
