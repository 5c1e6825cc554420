package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pagination against an API whose rows move while a run pages through them (offset pagination), and page-token
 * feeds asked again for their last page: nothing is skipped, written twice, or quarantined after it was written.
 */
@PullTest
class PullPagingTest {
    private PullFixture fixture;
    private SampleApi api;

    @Test
    void anOffsetScanDoesNotSkipARowWhenAnEarlierRowMovesToTheEndDuringIt() {
        List<Long> ids = api.seed(12, START, Duration.ofMinutes(1));
        api.beforeRequest(2, () -> api.update(ids.get(1), START.plus(Duration.ofHours(1))));
        fixture.configure(SourceConfig.contacts(api).offsetPagination().pageSize(4).lookback("PT1M"));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode second = invoke(handler);

        assertEquals("COMPLETE", first.get("sources").get(0).get("status").asText(), first.toString());
        assertEquals(13, first.get("written").asLong(), "12 first versions and the moved row's new one: " + first);
        assertEquals(0, second.get("written").asLong(), second.toString());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void rowsInsertedBeforeTheOffsetDuringAScanDoNotGetWrittenRowsQuarantinedAsBelowTheBound() {
        api.seed(12, START, Duration.ofMinutes(1));
        api.beforeRequest(2, () -> {
            api.create(START.plusSeconds(30));
            api.create(START.plusSeconds(40));
        });
        fixture.configure(SourceConfig.contacts(api).offsetPagination().pageSize(4).lookback("PT0S"));
        PullIngestHandler handler = fixture.handler();

        JsonNode report = invoke(handler);

        assertEquals(12, report.get("written").asLong(), report.toString());
        assertEquals(0, report.get("quarantined").asLong(), "no row written is also quarantined: " + report);
        assertEquals(List.of(), fixture.quarantined());
        List<String> seeded = api.versions().stream().filter(v -> v.id() <= 12).map(v -> v.id() + "@" + v.updatedAt())
                .toList();
        PullFixture.assertExactlyOnce(seeded, fixture.written());
    }

    @Test
    void aTieGroupLongerThanAPageIsPagedByOffsetWithinItsValue() {
        api.seed(3, START, Duration.ofMinutes(1));
        api.seed(9, START.plus(Duration.ofMinutes(5)), Duration.ZERO);
        api.seed(2, START.plus(Duration.ofMinutes(6)), Duration.ofMinutes(1));
        fixture.configure(SourceConfig.contacts(api).offsetPagination().pageSize(4).lookback("PT0S"));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode second = invoke(handler);

        assertEquals(14, first.get("written").asLong(), first.toString());
        assertEquals(1, second.get("in").asLong(), "the next run asks from the watermark: " + second);
        assertEquals(0, second.get("written").asLong());
        assertTrue(api.served().stream().anyMatch(s -> s.pathAndQuery().contains("updated_since=2026-11-25T08%3A05%3A00Z")
                && s.pathAndQuery().contains("offset=4")), "the tie group is paged by offset: " + api.served());
        fixture.assertEveryVersionExactlyOnce();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SampleApi.FeedEnd.class)
    void aFeedAskedAgainForItsLastPageWritesOnlyWhatWasAppendedToIt(SampleApi.FeedEnd end) {
        api.feedEnd(end);
        List<Long> ids = api.seed(7, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).changeFeed(api).pageSize(5));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        JsonNode again = invoke(handler);
        api.seed(2, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));
        api.update(ids.get(0), START.plus(Duration.ofMinutes(2)));
        JsonNode third = invoke(handler);
        JsonNode fourth = invoke(handler);

        assertEquals(7, first.get("written").asLong(), first.toString());
        assertEquals(0, again.get("written").asLong(), again.toString());
        assertEquals(3, third.get("written").asLong(), third.toString());
        assertEquals(0, fourth.get("written").asLong(), fourth.toString());
        assertEquals(List.of(), fixture.quarantined());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aFeedWithoutHasMoreEndsAtAnEmptyPageAndTheNextRunResumesFromTheTokenBeforeIt() {
        api.seed(7, START, Duration.ofSeconds(1));
        SourceConfig config = SourceConfig.contacts(api).changeFeed(api).pageSize(5);
        ((ObjectNode) config.json().get("cursor")).remove("has_more_field");
        fixture.configure(config);
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler);
        api.seed(2, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));
        JsonNode second = invoke(handler);

        assertEquals(7, first.get("written").asLong(), first.toString());
        assertEquals(3, first.get("sources").get(0).get("requests").asInt(), "two pages, then an empty one");
        assertEquals(2, second.get("in").asLong(), "only what was appended: " + second);
        assertEquals(2, second.get("written").asLong(), second.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aFeedReReadWithASmallerPageSizeKnowsTheRecordsItSettledAcrossTheNewPages() {
        api.feedEnd(SampleApi.FeedEnd.NO_CURSOR);
        api.seed(7, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).changeFeed(api).pageSize(10));
        invoke(fixture.handler());
        api.seed(2, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).changeFeed(api).pageSize(3));

        JsonNode second = invoke(fixture.handler());

        assertEquals(2, second.get("written").asLong(), second.toString());
        assertEquals(7, second.get("duplicates").asLong(), second.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aCrashAfterAskingAgainForTheLastPageIsRepairedWithoutWritingItsSettledRecordsTwice() {
        api.feedEnd(SampleApi.FeedEnd.NO_CURSOR);
        api.seed(7, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).changeFeed(api).pageSize(5));
        invoke(fixture.handler());
        api.seed(3, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));
        AtomicInteger advances = new AtomicInteger();
        PullIngestHandler crashing = fixture.handler(wiring -> wiring.withCheckpoints(
                Crashes.crashOnAdvance(wiring.checkpoints(), advances, 1)));

        assertThrows(Crashes.SimulatedCrash.class, () -> invoke(crashing));
        JsonNode rerun = invoke(fixture.handler());

        assertEquals(0, rerun.get("written").asLong(), "the crashed run already wrote the new records: " + rerun);
        assertEquals(10, rerun.get("duplicates").asLong(), "the staged page, then the same page asked again: " + rerun);
        assertEquals(5, rerun.get("sources").get(0).get("checkpoint_after").get("settled_at_cursor").asLong(),
                rerun.toString());
        fixture.assertEveryVersionExactlyOnce();
    }
}
