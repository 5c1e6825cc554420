package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.rawzone.functions.pull.PullFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * APIs whose pagination never ends: the same token again, a cycle of tokens, the same records under ever-new
 * tokens, or simply too many pages. The repeat is caught before it is staged, so nothing is written twice or both
 * written and quarantined; the source fails with the reason, its checkpoint after the last good page, and once the
 * API is fixed the next run resumes from there.
 */
@PullTest
class PullPaginationCycleTest {
    private PullFixture fixture;
    private SampleApi api;

    @BeforeEach
    void setUp() {
        api.seed(10, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).pageSize(2).lookback("PT0S"));
    }

    @Test
    void aCycleOfTwoTokensFailsTheSourceBeforeThePageItLeadsBackToIsFetchedAgain() {
        script(page(List.of(1, 2), "A"), page(List.of(3, 4), "B"), page(List.of(5, 6), "A"),
                page(List.of(3, 4), "B"), page(List.of(5, 6), "A"));

        JsonNode failed = failedRun("pagination cycle: the API answered page 3 of this query with the next page "
                + "token (next_page_token) of page 2");

        assertEquals(3, api.requestCount(), "the page it leads back to is not asked for again");
        assertEquals(3, failed.get("pages").asInt());
        assertEquals("2026-11-25T08:00:05Z", fixture.checkpoint("contacts").state().get("cursor"));
        assertEquals(3, fixture.checkpoint("contacts").version());
        resumesOnceTheApiIsFixed();
    }

    @Test
    void theSameTokenAgainFailsTheSourceAsACycleOfOnePage() {
        script(page(List.of(1, 2), "A"), page(List.of(3, 4), "A"), page(List.of(3, 4), "A"));

        failedRun("pagination cycle: the API answered page 2 of this query with the next page token "
                + "(next_page_token) of page 2");

        assertEquals(2, api.requestCount());
        assertEquals(2, fixture.checkpoint("contacts").version());
        resumesOnceTheApiIsFixed();
    }

    @Test
    void theSameRecordsUnderANewTokenAreARepeatAndAreNotStaged() {
        script(page(List.of(1, 2), "A"), page(List.of(3, 4), "B"), page(List.of(3, 4), "C"), page(List.of(3, 4), "D"));

        failedRun("pagination cycle: page 3 of this query holds the same 2 records as page 2 (the API serves a page "
                + "again");

        assertEquals(3, api.requestCount());
        assertEquals(2, fixture.keys("manifests/pull/pages/").size(), "the repeated page is not staged");
        assertEquals(2, fixture.checkpoint("contacts").version());
        resumesOnceTheApiIsFixed();
    }

    @Test
    void aPageServedAgainWithItsOwnNextTokenIsCaughtByItsRecords() {
        api.repeatAt(3); // the API's real second page, next_page_token and all, once more

        failedRun("pagination cycle: page 3 of this query holds the same 2 records as page 2 (the API serves a page "
                + "again");

        assertEquals(2, fixture.checkpoint("contacts").version());
        resumesOnceTheApiIsFixed();
    }

    @Test
    void aResumeTokenLeadingBackIsNotCommittedSinceTheNextRunWouldResumeFromIt() {
        fixture.configure(SourceConfig.contacts(api).changeFeed(api).pageSize(2));
        String second = feedCursor(2);
        api.respondAt(1, 200, Map.of(), page(List.of(1, 2), null).replace("\"next_page_token\":null",
                "\"next_cursor\":\"" + second + "\""));
        api.respondAt(2, 200, Map.of(), page(List.of(3, 4), null).replace("\"next_page_token\":null",
                "\"next_cursor\":\"" + second + "\""));

        failedRun("pagination cycle: the API answered page 2 of this query with the resume token (next_cursor) of "
                + "page 2");

        assertEquals(1, fixture.checkpoint("contacts").version(), "page 2 is not committed");
        assertEquals(second, fixture.checkpoint("contacts").state().get("cursor"));
        resumesOnceTheApiIsFixed();
    }

    @Test
    void aLinkBackToTheFirstPageIsACycle() {
        fixture.configure(SourceConfig.contacts(api).pageSize(2).lookback("PT0S").linkPagination());
        String first = api.endpoint() + "?limit=2";
        String second = api.endpoint() + "?limit=2&page_token=B";
        api.respondAt(1, 200, Map.of("Link", "<" + second + ">; rel=\"next\""), page(List.of(1, 2), null));
        api.respondAt(2, 200, Map.of("Link", "<" + first + ">; rel=\"next\""), page(List.of(3, 4), null));

        failedRun("pagination cycle: the API answered page 2 of this query with the Link to the next page of page 1 "
                + "(the query's first request)");

        assertEquals(2, api.requestCount());
        resumesOnceTheApiIsFixed();
    }

    @Test
    void aQueryLongerThanTheCapFailsTheSourceAndTheNextRunGoesOnFromItsCheckpoint() {
        PullIngestHandler capped = new PullIngestHandler(fixture.environment(Map.of("PULL_MAX_QUERY_PAGES", "3")));

        PullReport report = capped.pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(15)));

        JsonNode failed = report.toJson(PullFixture.MAPPER).get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("reason").asText().startsWith("pagination did not end after 3 pages of one query"),
                failed.toString());
        assertEquals(3, failed.get("pages").asInt());
        JsonNode next = PullFixture.invoke(fixture.handler());
        assertEquals("COMPLETE", next.get("sources").get(0).get("status").asText(), next.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    /** Runs the pull once: the source fails with {@code reason}, and the invocation with it (the errors alarm). */
    private JsonNode failedRun(String reason) {
        PullReport report = fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(15)));
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        JsonNode failed = json.get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("reason").asText().startsWith(reason), failed.get("reason").asText());
        assertTrue(report.failed() && report.failureSummary().contains(reason), report.failureSummary());
        assertEquals(List.of(), fixture.quarantined(), "nothing quarantined: the repeat never reached processing");
        return failed;
    }

    private void resumesOnceTheApiIsFixed() {
        api.clearScripted();
        JsonNode next = PullFixture.invoke(fixture.handler());

        assertEquals("COMPLETE", next.get("sources").get(0).get("status").asText(), next.toString());
        assertEquals(List.of(), fixture.quarantined());
        List<ObjectVersion> versions = new ArrayList<>();
        fixture.s3.listObjectVersionsPaginator(l -> l.bucket(PullFixture.RAW)).versions().forEach(versions::add);
        assertEquals(fixture.keys("").size(), versions.size(), "every key has one version: nothing was rewritten");
        fixture.assertEveryVersionExactlyOnce();
    }

    private void script(String... pages) {
        for (int i = 0; i < pages.length; i++) {
            api.respondAt(i + 1, 200, Map.of(), pages[i]);
        }
    }

    /** The sample API's change-feed cursor at change {@code n}, as its own pages carry it. */
    private static String feedCursor(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + n).getBytes(StandardCharsets.UTF_8));
    }

    /** A page of the seeded contacts {@code ids} (contact i updated at START + i - 1 seconds), then {@code next}. */
    private static String page(List<Integer> ids, String next) {
        String records = ids.stream().map(id -> "{\"id\":" + id + ",\"name\":\"Contact " + id + "\",\"email\":\"contact"
                + id + "@example.com\",\"tier\":\"standard\",\"version\":1,\"updated_at\":\""
                + START.plusSeconds(id - 1) + "\"}").collect(Collectors.joining(","));
        return "{\"records\":[" + records + "],\"next_page_token\":" + (next == null ? "null" : "\"" + next + "\"")
                + ",\"has_more\":true}";
    }
}
