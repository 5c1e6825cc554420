package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.PutOutcome;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.VerbatimRecords;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.TOKEN;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong when pulling, each against the emulator and the sample API: throttling, server errors, crashes
 * between the writes and the checkpoint, running out of time, overlapping runs, a malformed page, credentials.
 * Every test ends with each version the API made in the raw zone exactly once.
 */
@PullTest(tokenStored = false)
class PullFailureTest {
    private PullFixture fixture;
    private SampleApi api;

    private JsonNode pullReport(PullIngestHandler handler, Duration timeout) {
        PullReport report = handler.pull(PullFixture.MAPPER.createObjectNode(), new FakeContext("PullIngestFunction", timeout));
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        return json;
    }

    @Test
    void a429WithRetryAfterIsWaitedForThenThePullGoesOn() {
        fixture.storeToken();
        api.seed(35, START, Duration.ofSeconds(1));
        api.throttleAt(2, 1);
        fixture.configure(SourceConfig.contacts(api));

        JsonNode report = invoke(fixture.handler());

        JsonNode source = report.get("sources").get(0);
        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        assertEquals(1, source.get("throttled").asInt());
        assertEquals(1, source.get("retries").asInt());
        assertTrue(source.get("waited_ms").asLong() >= 1000, source.toString());
        List<SampleApi.Served> served = api.served();
        assertEquals(429, served.get(1).status());
        long gap = Duration.between(served.get(1).at(), served.get(2).at()).toMillis();
        assertTrue(gap >= 950, "the retry waited for Retry-After: " + gap + " ms");
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aRetryAfterLongerThanTheTimeLeftPausesTheSourceInsteadOfFailingIt() {
        fixture.storeToken();
        api.seed(35, START, Duration.ofSeconds(1));
        api.throttleAt(2, 600);
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = pullReport(handler, Duration.ofSeconds(30));
        JsonNode second = invoke(handlerAt(Instant.now().plus(Duration.ofMinutes(11))));

        JsonNode paused = first.get("sources").get(0);
        assertEquals("PAUSED", paused.get("status").asText(), paused.toString());
        assertTrue(paused.get("reason").asText().contains("time budget"), paused.toString());
        assertEquals(1, paused.get("pages").asInt());
        assertEquals("COMPLETE", second.get("sources").get(0).get("status").asText());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aRetryAfterLongerThanTheTimeLeftIsNotedSoNoRunCallsTheApiBeforeThen() {
        fixture.storeToken();
        api.seed(35, START, Duration.ofSeconds(1));
        api.throttleAt(2, 3600);
        fixture.configure(SourceConfig.contacts(api));
        Instant asked = Instant.now();

        JsonNode first = pullReport(fixture.handler(), Duration.ofSeconds(30)).get("sources").get(0);
        Checkpoint noted = fixture.checkpoint("contacts");
        Instant notBefore = Instant.parse(noted.state().get("not_before"));
        int requests = api.requestCount();
        JsonNode second = pullReport(fixture.handler(), Duration.ofMinutes(15)).get("sources").get(0);
        int requestsAfterSecond = api.requestCount();
        Checkpoint afterSecond = fixture.checkpoint("contacts");
        JsonNode third = invoke(handlerAt(notBefore.plusSeconds(1)));

        assertEquals("PAUSED", first.get("status").asText(), first.toString());
        assertTrue(first.get("reason").asText().endsWith("the API asked not to be called before " + notBefore
                + " (Retry-After), noted in the checkpoint"), first.toString());
        assertTrue(!notBefore.isBefore(asked.plusSeconds(3600)) && notBefore.isBefore(Instant.now().plusSeconds(3600)),
                "an hour after the 429: " + notBefore);
        assertEquals(2, noted.version(), "page 1, then the note");
        assertEquals("2026-11-25T08:00:09Z", noted.state().get("cursor"), "the note moves neither cursor nor seq");
        assertEquals("1", noted.state().get("seq"));
        assertEquals("PAUSED", second.get("status").asText(), second.toString());
        assertEquals("the API asked not to be called before " + notBefore + " (Retry-After); no request is made "
                + "until then", second.get("reason").asText());
        assertEquals(requests, requestsAfterSecond, "the run before that time made no request");
        assertEquals(noted, afterSecond);
        assertEquals("COMPLETE", third.get("sources").get(0).get("status").asText(), third.toString());
        assertEquals(null, fixture.checkpoint("contacts").state().get("not_before"), "the note is cleared");
        fixture.assertEveryVersionExactlyOnce();
    }

    /** A handler whose clock reads {@code now} at this moment (later than the wall clock, past a Retry-After). */
    private PullIngestHandler handlerAt(Instant now) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
        return fixture.handler(wiring -> wiring.withClock(clock));
    }

    @Test
    void aServerErrorIsRetriedWithBackoffAndPersistentOnesFailTheSourceUntilTheNextRun() {
        fixture.storeToken();
        api.seed(45, START, Duration.ofSeconds(1));
        api.errorAt(2, 2, 500);   // once: retried within the run
        api.errorAt(5, 7, 502);   // three times (max_attempts): the source fails at page 4
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = pullReport(handler, Duration.ofMinutes(15));
        Checkpoint afterFailure = fixture.checkpoint("contacts");
        JsonNode second = invoke(handler);

        JsonNode failed = first.get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("reason").asText().contains("HTTP 502"), failed.toString());
        assertEquals(3, failed.get("pages").asInt(), "pages 1 to 3 committed before the failure");
        assertEquals(3, failed.get("retries").asInt(), "one for the 500, two for the 502s");
        assertEquals("2026-11-25T08:00:29Z", afterFailure.state().get("cursor"));
        assertEquals(3, afterFailure.version());
        assertEquals("COMPLETE", second.get("sources").get(0).get("status").asText());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void theInvocationFailsWhenASourceFailsSoLambdaRetriesAndThenDeadLetters() {
        fixture.storeToken();
        api.seed(5, START, Duration.ofSeconds(1));
        api.errorAt(1, 3, 500);
        fixture.configure(SourceConfig.contacts(api));

        PullFailedException failure = assertThrows(PullFailedException.class, () -> invoke(fixture.handler()));

        assertTrue(failure.getMessage().contains("contacts: HTTP 500"), failure.getMessage());
        assertEquals(0, fixture.checkpoint("contacts").version());
    }

    @Test
    void aCrashAfterAPageIsWrittenButBeforeTheCheckpointMovesRewritesNothingAndSkipsNothing() {
        fixture.storeToken();
        List<Long> ids = api.seed(35, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        AtomicInteger advances = new AtomicInteger();
        PullIngestHandler crashing = fixture.handler(wiring -> wiring.withCheckpoints(
                Crashes.crashOnAdvance(wiring.checkpoints(), advances, 2)));

        assertThrows(Crashes.SimulatedCrash.class, () -> invoke(crashing));
        assertEquals(1, fixture.checkpoint("contacts").version(), "page 2 is written but not committed");
        assertEquals(20, fixture.written().size());
        // Before the re-run the API answers differently: page 2's records change and a late one appears among them.
        api.update(ids.get(12), START.plus(Duration.ofMinutes(2)));
        api.create(START.plus(Duration.ofMillis(15_500)));
        JsonNode rerun = invoke(fixture.handler());

        assertEquals("COMPLETE", rerun.get("sources").get(0).get("status").asText(), rerun.toString());
        assertEquals(17, rerun.get("written").asLong(), "page 3's 15 records, the update and the late record");
        assertNoKeyWrittenTwice();
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aCrashBetweenStagingAPageAndWritingItIsRepairedByTheNextRun() {
        fixture.storeToken();
        api.seed(35, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        AtomicInteger dataWrites = new AtomicInteger();
        PullIngestHandler failing = fixture.handler(wiring -> wiring.withRaw(failOnDataWrite(wiring.raw(), dataWrites, 2)));

        JsonNode first = pullReport(failing, Duration.ofMinutes(15));
        List<String> staged = fixture.keys("manifests/pull/pages/");
        JsonNode rerun = invoke(fixture.handler());

        JsonNode failed = first.get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertEquals(10, failed.get("failed").asLong(), "page 2's records failed for retry: " + failed);
        assertEquals(2, staged.size(), "page 2 was staged before the failure: " + staged);
        assertEquals(25, rerun.get("written").asLong(), rerun.toString());
        assertNoKeyWrittenTwice();
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aPageWrittenFromThePageLogStoresEachRecordAsTheApiSentIt() {
        fixture.storeToken();
        api.respondAt(1, 200, Map.of("Content-Type", "application/json"), PullFixture.verbatimPage());
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler failing = fixture.handler(wiring -> wiring.withRaw(failOnDataWrite(wiring.raw(),
                new AtomicInteger(), 1)));

        pullReport(failing, Duration.ofMinutes(15));
        JsonNode rerun = invoke(fixture.handler());

        assertEquals(PullFixture.verbatimRecords().size(), rerun.get("written").asLong(),
                "from the page log: the API itself serves no records after the first request; " + rerun);
        VerbatimRecords.assertStoredVerbatim(new RawZoneReader(fixture.s3, PullFixture.RAW), "raw/pull/",
                PullFixture.verbatimRecords());
    }

    @Test
    void runningOutOfTimeStopsCleanlyAtAPageBoundaryAndTheNextRunResumes() {
        fixture.storeToken();
        api.seed(60, START, Duration.ofSeconds(1));
        api.latency(Duration.ofMillis(200));
        fixture.configure(SourceConfig.contacts(api).pageSize(5));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = invoke(handler, Map.of(), Duration.ofSeconds(4));
        Checkpoint paused = fixture.checkpoint("contacts");
        api.latency(Duration.ZERO);
        JsonNode second = invoke(handler);

        JsonNode source = first.get("sources").get(0);
        assertEquals("PAUSED", source.get("status").asText(), source.toString());
        int pages = source.get("pages").asInt();
        assertTrue(pages >= 2 && pages < 12, "some pages, not all: " + pages);
        assertEquals(pages, paused.version());
        assertEquals(pages * 5L, first.get("written").asLong());
        assertEquals("COMPLETE", second.get("sources").get(0).get("status").asText());
        assertEquals(60 - pages * 5L, second.get("written").asLong(), second.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void anOverlappingRunCannotAdvanceTheCheckpointAndWritesNothingTwice() throws Exception {
        fixture.storeToken();
        api.seed(30, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        SampleApi.Hold hold = api.holdAt(2);
        PullIngestHandler slow = fixture.handler();
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> pullReport(slow, Duration.ofMinutes(15)));
        assertTrue(hold.awaitReached(Duration.ofSeconds(20)), "the first run is fetching its second page");
        // It asks for the second page while it writes the first: the overlapping run starts once that is committed.
        awaitCheckpointVersion(1, Duration.ofSeconds(20));

        JsonNode second = invoke(fixture.handler());
        hold.release();
        JsonNode overlapped = first.get(60, TimeUnit.SECONDS);

        assertEquals("COMPLETE", second.get("sources").get(0).get("status").asText(), second.toString());
        JsonNode loser = overlapped.get("sources").get(0);
        assertEquals("SUPERSEDED", loser.get("status").asText(), loser.toString());
        assertEquals(1, loser.get("pages").asInt(), "it committed only its first page");
        assertEquals(10, loser.get("written").asLong(), "its own first page");
        assertEquals(10, loser.get("duplicates").asLong(), "its second page was the winner's staged copy: " + loser);
        assertEquals(20, second.get("written").asLong(), second.toString());
        assertNoKeyWrittenTwice();
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void concurrentRunsOnOneSourceWriteEveryRecordOnce() throws Exception {
        fixture.storeToken();
        api.seed(300, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PullIngestHandler handler = fixture.handler();
            runs.add(CompletableFuture.supplyAsync(() -> {
                await(start);
                return pullReport(handler, Duration.ofMinutes(15));
            }));
        }
        start.countDown();
        List<String> statuses = new ArrayList<>();
        long committed = 0;
        for (CompletableFuture<JsonNode> run : runs) {
            JsonNode source = run.get(120, TimeUnit.SECONDS).get("sources").get(0);
            statuses.add(source.get("status").asText());
            committed += source.get("pages").asInt();
        }

        assertTrue(Set.of("COMPLETE", "SUPERSEDED").containsAll(statuses), statuses.toString());
        assertTrue(statuses.contains("COMPLETE"), statuses.toString());
        assertEquals(committed, fixture.checkpoint("contacts").version(), "every commit was one version step");
        assertNoKeyWrittenTwice();
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aMalformedPageIsQuarantinedAndTheCheckpointStaysBeforeIt() {
        fixture.storeToken();
        api.seed(35, START, Duration.ofSeconds(1));
        api.malformedAt(3);
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        JsonNode first = pullReport(handler, Duration.ofMinutes(15));
        Checkpoint stopped = fixture.checkpoint("contacts");
        JsonNode second = invoke(handler);

        JsonNode failed = first.get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("reason").asText().contains("malformed page 2"), failed.toString());
        String kept = failed.get("quarantined_page").asText();
        assertTrue(kept.startsWith("quarantine/pull/contacts/dt="), kept);
        assertEquals("{\"records\":[{\"id\":1,\"name\":\"Con", fixture.s3.getObjectAsBytes(
                g -> g.bucket(PullFixture.RAW).key(kept)).asUtf8String());
        assertEquals(2, stopped.version());
        assertEquals("2026-11-25T08:00:19Z", stopped.state().get("cursor"));
        assertEquals(15, second.get("written").asLong(), second.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aMissingSecretIsAClearFailureBeforeAnyRequest() {
        api.seed(5, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));

        PullFailedException failure = assertThrows(PullFailedException.class, () -> invoke(fixture.handler()));

        assertTrue(failure.getMessage().contains("secret secretsmanager:rawzone/pull/contacts does not exist"),
                failure.getMessage());
        assertEquals(0, api.requestCount());
        assertEquals(0, fixture.checkpoint("contacts").version());
        assertEquals(List.of(), fixture.keys(""));
    }

    @Test
    void aClientErrorFailsTheSourceWithoutTouchingItsCheckpointOrLeakingTheToken() {
        fixture.storeToken();
        api.seed(15, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        invoke(fixture.handler());
        Checkpoint before = fixture.checkpoint("contacts");
        fixture.clients.secretsManager().putSecretValue(p -> p.secretId(PullFixture.SECRET).secretString("wrong-token-1"));
        api.seed(5, START.plus(Duration.ofMinutes(1)), Duration.ofSeconds(1));

        JsonNode report = pullReport(fixture.handler(), Duration.ofMinutes(15));

        JsonNode failed = report.get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText());
        assertTrue(failed.get("reason").asText().startsWith("HTTP 401 from GET /v1/records"), failed.toString());
        assertFalse(report.toString().contains("wrong-token-1"), report.toString());
        assertEquals(before, fixture.checkpoint("contacts"));
        fixture.clients.secretsManager().putSecretValue(p -> p.secretId(PullFixture.SECRET).secretString(TOKEN));
        invoke(fixture.handler());
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void theTokenCanComeFromAnSsmSecureStringHoldingJson() {
        fixture.clients.ssm().putParameter(p -> p.name("/rawzone/pull/contacts-token").type(ParameterType.SECURE_STRING)
                .value("{\"token\":\"" + TOKEN + "\",\"note\":\"rotated monthly\"}"));
        api.seed(12, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api).secret("ssm:/rawzone/pull/contacts-token").secretJsonKey("token"));

        JsonNode report = invoke(fixture.handler());

        assertEquals(12, report.get("written").asLong(), report.toString());
        fixture.assertEveryVersionExactlyOnce();
    }

    private void assertNoKeyWrittenTwice() {
        List<ObjectVersion> versions = new ArrayList<>();
        fixture.s3.listObjectVersionsPaginator(l -> l.bucket(PullFixture.RAW)).versions().forEach(versions::add);
        assertEquals(fixture.keys("").size(), versions.size(), "every key has one version: nothing was rewritten");
    }

    private static ConditionalSink failOnDataWrite(ConditionalSink real, AtomicInteger writes, int failAt) {
        return new ForwardingSink(real) {
            @Override
            public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
                if (key.startsWith("raw/") && writes.incrementAndGet() == failAt) {
                    throw new IllegalStateException("S3 is unavailable (injected)");
                }
                return super.putIfAbsent(key, body, metadata);
            }
        };
    }

    private void awaitCheckpointVersion(long version, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (fixture.checkpoint("contacts").version() < version && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertEquals(version, fixture.checkpoint("contacts").version());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
