package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.MisbehavingApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body that stalls, trickles or never ends: {@code request_timeout} (or the time left) bounds the whole response,
 * the size cap bounds the body, and the run always ends by itself with the checkpoint where it was.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@PullTest
class StallingBodyTest {
    private PullFixture fixture;
    private MisbehavingApi api;

    @BeforeEach
    void setUp() {
        api = MisbehavingApi.start();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void aTricklingBodyIsCutAtTheRequestTimeoutAndRetriedAndTheNextRunResumes() throws InterruptedException {
        api.then(api.endless(64, Duration.ofMillis(30)), api.endless(64, Duration.ofMillis(30))); // about 2 KB/s
        fixture.configure(SourceConfig.contacts(fixture.api).endpoint(api.endpoint()).requestTimeout("PT1S")
                .maxAttempts(2));

        long started = System.nanoTime();
        JsonNode source = pull(Duration.ofMinutes(1));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertTrue(source.get("reason").asText().startsWith("no complete answer within 1000 ms from GET /v1/records"),
                source.toString());
        assertTrue(source.get("reason").asText().contains("2 attempts"), source.toString());
        assertEquals(1, source.get("retries").asInt(), "a stalled body is retried like a timeout: " + source);
        assertTrue(tookMillis < 5_000, "two attempts of 1 s and a backoff, not the trickle's pace: " + tookMillis);
        assertHungUpOn(2);
        assertNothingStoredAndTheNextRunResumes();
    }

    @Test
    void aTricklingBodyIsCutAtTheTimeBudgetAndTheRunPausesBeforeTheLambdaTimeout() throws InterruptedException {
        api.then(api.endless(64, Duration.ofMillis(30)));
        fixture.configure(SourceConfig.contacts(fixture.api).endpoint(api.endpoint()).requestTimeout("PT30S"));

        long started = System.nanoTime();
        JsonNode source = pull(Duration.ofSeconds(4));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals("PAUSED", source.get("status").asText(), source.toString());
        assertTrue(source.get("reason").asText().contains("no complete answer within"), source.toString());
        assertTrue(tookMillis < 4_000, "ended before the Lambda timeout: " + tookMillis + " ms");
        assertEquals(1, api.requestCount());
        assertHungUpOn(1);
        assertNothingStoredAndTheNextRunResumes();
    }

    @Test
    void anEndlessFastBodyIsCutAtTheSizeCapAndFailsTheSource() throws InterruptedException {
        api.then(api.endless(64 * 1024, Duration.ZERO));
        fixture.configure(SourceConfig.contacts(fixture.api).endpoint(api.endpoint()).requestTimeout("PT20S"));

        long started = System.nanoTime();
        JsonNode source = pull(Duration.ofMinutes(1));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals("FAILED", source.get("status").asText(), source.toString());
        assertEquals("the response to GET /v1/records is larger than 33554432 bytes; lower page_size",
                source.get("reason").asText());
        assertEquals(1, api.requestCount(), "an over-size body is not retried");
        assertTrue(tookMillis < 15_000, "cut at the cap, not at the timeout: " + tookMillis + " ms");
        assertHungUpOn(1);
        assertNothingStoredAndTheNextRunResumes();
    }

    @Test
    void aRealPageTrickledPastTheRequestTimeoutIsCutAndTheRetryWritesItOnce() {
        fixture.api.seed(6, PullFixture.START, Duration.ofMinutes(1));
        fixture.api.trickleAt(1, 30, Duration.ofMillis(100)); // the whole page, over 3 s
        fixture.configure(SourceConfig.contacts(fixture.api).requestTimeout("PT1S").pageSize(10));

        JsonNode source = pull(Duration.ofMinutes(1));

        assertEquals("COMPLETE", source.get("status").asText(), source.toString());
        assertEquals(1, source.get("retries").asInt(), "the trickled answer is cut and asked again: " + source);
        assertEquals(2, fixture.api.requestCount(), "not read at the trickle's pace");
        fixture.assertEveryVersionExactlyOnce();
    }

    private JsonNode pull(Duration lambdaTimeout) {
        PullReport report = fixture.handler().pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", lambdaTimeout));
        JsonNode json = report.toJson(PullFixture.MAPPER);
        PullFixture.assertCountsAddUp(json);
        return json.get("sources").get(0);
    }

    /** The client closed each cut connection: no thread of either side is left waiting on it. */
    private void assertHungUpOn(int bodies) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (api.hangUps() < bodies && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(bodies, api.hangUps(), "the server saw the client hang up on every cut body");
    }

    private void assertNothingStoredAndTheNextRunResumes() {
        assertEquals(0, fixture.checkpoint("contacts").version(), "the checkpoint is unchanged");
        assertEquals(List.of(), fixture.keys(""), "nothing of a cut body is stored");
        api.then(MisbehavingApi.json(ScriptedPages.contacts(3)));

        JsonNode next = pull(Duration.ofMinutes(1));

        assertEquals("COMPLETE", next.get("status").asText(), next.toString());
        PullFixture.assertExactlyOnce(ScriptedPages.versions(3), fixture.written());
    }
}
