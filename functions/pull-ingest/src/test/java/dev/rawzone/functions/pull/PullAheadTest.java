package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The next page is asked for while the page in hand is written and committed, one page ahead and no further; the
 * order of staging, writing and committing stays the sequential one, and a run that stops leaves no request behind.
 */
class PullAheadTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private PullFixture fixture;
    private SampleApi api;

    @BeforeEach
    void setUp() {
        fixture = new PullFixture(EMULATOR.emulator());
        api = fixture.api;
        fixture.storeToken();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

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
