package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The next page is asked for while the page in hand is written and committed, one page ahead and no further; the
 * order of staging, writing and committing stays the sequential one, and a run that stops leaves no request behind.
 */
@PullTest
class PullAheadTest {
    private PullFixture fixture;
    private SampleApi api;

    @Test
    void eachPageIsAskedForBeforeThePageBeforeItIsCommittedAndNoFurther() {
        api.seed(35, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        List<Integer> requestsBeforeCommit = new ArrayList<>();
        PullIngestHandler handler = fixture.handler(wiring -> wiring.withCheckpoints(
                waitingForRequests(wiring.checkpoints(), requestsBeforeCommit)));

        JsonNode report = invoke(handler);

        assertEquals("COMPLETE", report.get("sources").get(0).get("status").asText(), report.toString());
        // Page n is committed once the API has had the request for page n + 1, never a request past it; the
        // fourth page (5 records) ends the query, so nothing is asked while it is committed.
        assertEquals(List.of(2, 3, 4, 4), requestsBeforeCommit);
        assertEquals(4, api.requestCount());
        assertEquals(4, report.get("sources").get(0).get("requests").asInt(), report.toString());
        assertNoPrefetchLeft();
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aCrashWhileTheNextPageIsUnderWayLeavesNoRequestBehindAndTheNextRunLosesNothing() throws Exception {
        api.seed(35, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        SampleApi.Hold hold = api.holdAt(2);
        AtomicInteger advances = new AtomicInteger();
        PullIngestHandler crashing = fixture.handler(wiring -> wiring.withCheckpoints(
                awaitingHold(Crashes.crashOnAdvance(wiring.checkpoints(), advances, 1), hold)));

        assertThrows(Crashes.SimulatedCrash.class, () -> invoke(crashing));
        assertNoPrefetchLeft();
        hold.release();
        assertEquals(0, fixture.checkpoint("contacts").version(), "page 1 is written but not committed");
        JsonNode rerun = invoke(fixture.handler());

        assertEquals("COMPLETE", rerun.get("sources").get(0).get("status").asText(), rerun.toString());
        assertEquals(25, rerun.get("written").asLong(), "page 1 was written by the crashed run: " + rerun);
        assertEquals(20, rerun.get("duplicates").asLong(), "page 1 from the page log, then again in the lookback of "
                + "the fresh query from its checkpoint: " + rerun);
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aRetryAfterAnsweredAheadIsNotedWhenTheTimeRunsOutBeforeTheRunGetsToIt() {
        api.seed(35, START, Duration.ofSeconds(1));
        api.throttleAt(2, 3600);
        fixture.configure(SourceConfig.contacts(api));
        Instant asked = Instant.now();
        // 5 s past the fixture's reserve of 1 s; page 1 is committed once the 429 asked ahead is in and less than a
        // page's second is left, so the run stops before it gets to that answer
        FakeContext context = new FakeContext("PullIngestFunction", Duration.ofSeconds(6));
        PullIngestHandler handler = fixture.handler(wiring -> wiring.withCheckpoints(Crashes.beforeAdvance(
                wiring.checkpoints(), () -> awaitAnswerThen(2, () -> context.getRemainingTimeInMillis() < 1_500))));

        JsonNode first = source(handler, context);
        Instant notBefore = notedNotBefore(first);
        JsonNode second = invoke(fixture.handler()).get("sources").get(0);
        int requestsAfterSecond = api.requestCount();
        JsonNode third = invoke(handlerAt(notBefore.plusSeconds(1))).get("sources").get(0);

        assertEquals("PAUSED", first.get("status").asText(), first.toString());
        assertEquals(1, first.get("pages").asInt(), first.toString());
        assertTrue(first.get("reason").asText().endsWith("the API asked not to be called before " + notBefore
                + " (Retry-After), noted in the checkpoint"), first.toString());
        assertFalse(notBefore.isBefore(asked.plusSeconds(3600)), "an hour after the 429: " + notBefore);
        assertEquals("PAUSED", second.get("status").asText(), second.toString());
        assertEquals(2, requestsAfterSecond, "the next run made no request before that time");
        assertEquals("COMPLETE", third.get("status").asText(), third.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aRetryAfterAnsweredAheadHoldsBackTheFreshQueryTheCommitCallsFor() {
        api.seed(30, START, Duration.ofMinutes(1));
        fixture.configure(SourceConfig.contacts(api).pageSize(5).lookback("PT15M"));
        invoke(fixture.handler());
        int before = api.requestCount();
        // A shorter lookback: committing the first page of the next run raises the bound past the rest of its query,
        // so the run starts a fresh query instead of taking the 429 answered ahead for the query's second page.
        fixture.configure(SourceConfig.contacts(api).pageSize(5).lookback("PT5M"));
        api.throttleAt(before + 2, 60);
        PullIngestHandler handler = fixture.handler(wiring -> wiring.withCheckpoints(Crashes.beforeAdvance(
                wiring.checkpoints(), () -> awaitAnswerThen(before + 2, () -> true))));

        JsonNode paused = source(handler, new FakeContext("PullIngestFunction", Duration.ofSeconds(30)));
        int requests = api.requestCount();
        Instant notBefore = notedNotBefore(paused);
        JsonNode after = invoke(handlerAt(notBefore.plusSeconds(1))).get("sources").get(0);

        assertEquals("PAUSED", paused.get("status").asText(), paused.toString());
        assertEquals(1, paused.get("pages").asInt(), paused.toString());
        assertTrue(paused.get("reason").asText().endsWith("the API asked not to be called before " + notBefore
                + " (Retry-After), noted in the checkpoint"), paused.toString());
        assertEquals(before + 2, requests, "no fresh query within the minute the API asked for: " + api.served());
        assertEquals("COMPLETE", after.get("status").asText(), after.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    /** A handler whose clock reads {@code now} at this moment (later than the wall clock, past a Retry-After). */
    private PullIngestHandler handlerAt(Instant now) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
        return fixture.handler(wiring -> wiring.withClock(clock));
    }

    /** The checkpoint's {@code not_before}, which the run that stopped with {@code report} must have noted. */
    private Instant notedNotBefore(JsonNode report) {
        String noted = fixture.checkpoint("contacts").state().get("not_before");
        assertNotNull(noted, "the Retry-After answered ahead is noted in the checkpoint: " + report);
        return Instant.parse(noted);
    }

    private static JsonNode source(PullIngestHandler handler, FakeContext context) {
        JsonNode report = handler.pull(PullFixture.MAPPER.createObjectNode(), context).toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(report);
        return report.get("sources").get(0);
    }

    /** Waits (up to 20 s) until the API has answered request {@code n} to the run, then until {@code then} holds. */
    private void awaitAnswerThen(int n, BooleanSupplier then) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (api.served().size() < n && Instant.now().isBefore(deadline)) {
            pause();
        }
        Instant sent = Instant.now().plusMillis(200); // served is noted just before the answer is sent
        while (Instant.now().isBefore(sent)) {
            pause();
        }
        while (!then.getAsBoolean() && Instant.now().isBefore(deadline)) {
            pause();
        }
    }

    /**
     * The real store, but each advance first waits (up to 20 s) until the API has had one request more than the
     * pages committed so far, and notes how many it had: a run that asks only after committing never gets there.
     */
    private CheckpointStore waitingForRequests(CheckpointStore real, List<Integer> requestsBeforeCommit) {
        return Crashes.beforeAdvance(real, () -> {
            Instant deadline = Instant.now().plusSeconds(20);
            while (api.requestCount() <= requestsBeforeCommit.size() + 1 && Instant.now().isBefore(deadline)
                    && requestsBeforeCommit.size() < 3) {
                pause();
            }
            requestsBeforeCommit.add(api.requestCount());
        });
    }

    /** The given store, once the held request has reached the API (so it is under way when the store is called). */
    private static CheckpointStore awaitingHold(CheckpointStore store, SampleApi.Hold hold) {
        return Crashes.beforeAdvance(store, () -> {
            try {
                assertTrue(hold.awaitReached(Duration.ofSeconds(20)), "the next page is asked for ahead");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertNoPrefetchLeft() {
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("rawzone-page-prefetch") && thread.isAlive()),
                "no request of the run outlives it");
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
