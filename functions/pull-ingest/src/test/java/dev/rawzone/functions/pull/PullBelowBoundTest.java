package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records an API returns below the query's lower bound: the seen set, which starts at that bound, cannot tell
 * whether one was written before (most likely it was), so a page holding one fails the source before anything of it
 * is stored twice. A bound the pull raises itself (the seen-set cap, offset re-anchoring) is one the query asks for.
 */
@PullTest
class PullBelowBoundTest {
    private PullFixture fixture;
    private SampleApi api;

    private static String contact(int id, int second) {
        return "{\"id\":" + id + ",\"name\":\"Contact " + id + "\",\"email\":\"c" + id + "@example.com\","
                + "\"updated_at\":\"" + START.plusSeconds(second) + "\"}";
    }

    private static String lastPage(String... records) {
        return "{\"records\":[" + String.join(",", records) + "],\"next_page_token\":null,\"has_more\":false}";
    }

    private JsonNode source(PullReport report) {
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        return json.get("sources").get(0);
    }

    @Test
    void anApiIgnoringTheBoundForTwoRunsFailsTheSourceWithNothingStoredTwiceAndThenCatchesUp() {
        api.seed(12, START, Duration.ofMinutes(1));
        fixture.configure(SourceConfig.contacts(api).pageSize(5).lookback("PT0S"));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);
        api.ignoreUpdatedSince(true);
        api.create(START.plus(Duration.ofMinutes(20)));
        api.create(START.plus(Duration.ofMinutes(21)));

        for (int run = 0; run < 2; run++) {
            JsonNode ignored = source(handler.pull(PullFixture.MAPPER.createObjectNode(),
                    new FakeContext("PullIngestFunction", Duration.ofMinutes(1))));
            assertEquals("FAILED", ignored.get("status").asText(), ignored.toString());
            assertTrue(ignored.get("reason").asText().startsWith("the API ignores updated_since: page 3 from GET "
                    + "/v1/records holds a record below the query's lower bound updated_since="
                    + START.plus(Duration.ofMinutes(11)) + " (inclusive) (its updated_at is \"" + START + "\")"),
                    ignored.toString());
            assertEquals(0, ignored.get("in").asLong(), ignored.toString());
        }
        assertEquals(List.of(), fixture.quarantined(), "nothing quarantined: those records are in raw/ already");
        assertEquals(List.of(), fixture.keys("manifests/pull/pages/contacts/3"), "nothing of the page staged");
        api.ignoreUpdatedSince(false);
        JsonNode caughtUp = invoke(handler);

        assertEquals(2, caughtUp.get("written").asLong(), caughtUp.toString());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aSingleRecordReadAgainBelowTheBoundFailsTheSourceEachTimeWithNothingStoredTwice() {
        api.respondAt(1, 200, Map.of(), lastPage(contact(1, 10), contact(2, 20)));
        api.respondAt(2, 200, Map.of(), lastPage(contact(1, 10), contact(3, 30)));
        api.respondAt(3, 200, Map.of(), lastPage(contact(1, 10), contact(3, 30)));
        api.respondAt(4, 200, Map.of(), lastPage(contact(2, 20), contact(3, 30)));
        fixture.configure(SourceConfig.contacts(api).lookback("PT0S"));
        PullIngestHandler handler = fixture.handler();
        invoke(handler);

        for (int run = 0; run < 2; run++) {
            JsonNode again = source(handler.pull(PullFixture.MAPPER.createObjectNode(),
                    new FakeContext("PullIngestFunction", Duration.ofMinutes(1))));
            assertEquals("FAILED", again.get("status").asText(), again.toString());
        }
        JsonNode honest = invoke(handler);

        assertEquals(1, honest.get("written").asLong(), honest.toString());
        assertEquals(List.of(), fixture.quarantined(), "contact 1 is in raw/ already");
        PullFixture.assertExactlyOnce(List.of("1@" + START.plusSeconds(10), "2@" + START.plusSeconds(20),
                "3@" + START.plusSeconds(30)), fixture.written());
    }

    /** A source whose bound the API reads in whole seconds, with a seen set capped at two versions. */
    private PullIngestHandler cappedInSeconds(SourceConfig config) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.json().get("cursor")).put("precision", "PT1S");
        fixture.configure(config);
        return new PullIngestHandler(fixture.environment(Map.of("PULL_SEEN_CAP", "2")));
    }

    @Test
    void aBoundRaisedByTheSeenSetCapIsOneTheParameterCanSaySoNothingTheQueryReturnsIsBelowIt() {
        for (String at : List.of("00.200", "01.300", "01.700", "02.500")) {
            api.create(Instant.parse("2026-11-25T08:00:" + at + "Z"));
        }
        PullIngestHandler handler = cappedInSeconds(SourceConfig.contacts(api));
        invoke(handler);

        JsonNode second = invoke(handler);

        assertEquals(0, second.get("quarantined").asLong(), "nothing below the bound: " + second);
        String sent = api.served().get(1).pathAndQuery();
        assertTrue(sent.contains("updated_since=2026-11-25T08%3A00%3A02Z"), "the cap dropped whole seconds: " + sent);
        assertEquals(1, second.get("duplicates").asLong(), second.toString());
        assertEquals(List.of(), fixture.quarantined());
    }

    @Test
    void offsetPagesReAnchoredAtABoundTheCapHasPassedReadTheRecordsBetweenAsDuplicates() {
        for (String at : List.of("00.200", "01.100", "01.300", "01.700", "02.500")) {
            api.create(Instant.parse("2026-11-25T08:00:" + at + "Z"));
        }
        PullIngestHandler handler = cappedInSeconds(SourceConfig.contacts(api).offsetPagination().pageSize(4));

        JsonNode report = invoke(handler);

        assertTrue(api.served().get(1).pathAndQuery().contains("updated_since=2026-11-25T08%3A00%3A01Z"),
                api.served().toString());
        assertEquals(0, report.get("quarantined").asLong(), "08:00:01.100 was asked for again: " + report);
        assertEquals(4, report.get("duplicates").asLong(), "three at 08:00:01, then 08:00:02.500: " + report);
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void offsetPagesOfAnExclusiveBoundInWholeSecondsAreReAnchoredWhereTheCheckpointStarts() {
        for (String at : List.of("00.200", "01.300", "01.700", "02.500")) {
            api.create(Instant.parse("2026-11-25T08:00:" + at + "Z"));
        }
        api.exclusiveUpdatedSince(true);
        SourceConfig config = SourceConfig.contacts(api).offsetPagination().pageSize(2).lookback("PT0S");
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.json().get("cursor")).put("inclusive", false)
                .put("precision", "PT1S");
        fixture.configure(config);

        JsonNode report = invoke(fixture.handler());

        assertTrue(api.served().get(1).pathAndQuery().contains("updated_since=2026-11-25T08%3A00%3A01Z"),
                "after 08:00:01.300, > 08:00:01: " + api.served());
        assertEquals("COMPLETE", report.get("sources").get(0).get("status").asText(), report.toString());
        assertEquals(0, report.get("quarantined").asLong(), report.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aShorterLookbackRaisesTheBoundAboveTheQueryInFlightAndTheRunGoesOnFromTheNewBoundInsteadOfFailing() {
        api.seed(30, START, Duration.ofMinutes(1));
        fixture.configure(SourceConfig.contacts(api).pageSize(5).lookback("PT15M"));
        invoke(fixture.handler());
        fixture.configure(SourceConfig.contacts(api).pageSize(5).lookback("PT5M"));

        JsonNode shorter = source(fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(1))));

        assertEquals("COMPLETE", shorter.get("status").asText(), shorter.toString());
        assertEquals(0, shorter.get("written").asLong() + shorter.get("quarantined").asLong(), shorter.toString());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aCheckpointBoundBetweenTwoStepsOfANewPrecisionDoesNotStopTheSourceForGood() {
        api.seed(6, START, Duration.ofMillis(1500));
        fixture.configure(SourceConfig.contacts(api).lookback("PT0S"));
        invoke(fixture.handler());
        api.create(START.plusMillis(7200));
        SourceConfig seconds = SourceConfig.contacts(api).lookback("PT0S");
        ((com.fasterxml.jackson.databind.node.ObjectNode) seconds.json().get("cursor")).put("precision", "PT1S");
        fixture.configure(seconds);

        for (int run = 0; run < 2; run++) {
            JsonNode after = source(fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                    new FakeContext("PullIngestFunction", Duration.ofMinutes(1))));
            assertEquals("COMPLETE", after.get("status").asText(), after.toString());
        }
        assertEquals(1, fixture.quarantined().size(), "the record between the bound sent and the checkpoint's, once");
    }
}
