package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.testkit.FakeContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint against the emulator and the sample API: a seen set too big for a DynamoDB item (many records with
 * one cursor value) kept in its own object, crashes around that object's write, and a source whose checkpoint
 * breaks the pull failing alone.
 */
@PullTest
class PullCheckpointTest {
    private static final String SEEN_PREFIX = "manifests/pull/seen/contacts/";

    private PullFixture fixture;

    private PullIngestHandler handler(Map<String, String> environment, UnaryOperator<PullIngestWiring> change) {
        return new PullIngestHandler(change.apply(PullIngestWiring.fromEnvironment(fixture.environment(environment))));
    }

    @Test
    void fortyFiveThousandRecordsWithOneUpdatedAtAreSkippedOnTheNextRunAndTheCheckpointStaysSmall() {
        List<String> records = new ArrayList<>();
        Random random = new Random(45);
        for (int i = 0; i < 45_000; i++) {
            records.add("{\"id\":\"c-" + new UUID(random.nextLong(), random.nextLong()) + "\",\"name\":\"Contact " + i
                    + "\",\"email\":\"c" + i + "@example.com\",\"updated_at\":\"2026-11-25T08:00:00Z\"}");
        }
        String page = "{\"records\":[" + String.join(",", records) + "],\"next_page_token\":null,\"has_more\":false}";
        fixture.api.respondAt(1, 200, Map.of("Content-Type", "application/json"), page);
        fixture.api.respondAt(2, 200, Map.of("Content-Type", "application/json"), page);
        fixture.configure(SourceConfig.contacts(fixture.api).pageSize(10_000));
        PullIngestHandler handler = handler(Map.of("PART_MAX_RECORDS", "100000", "PART_MAX_BYTES", "67108864"),
                UnaryOperator.identity());

        JsonNode first = invoke(handler);
        Map<String, String> afterFirst = fixture.checkpoint("contacts").state();
        JsonNode second = invoke(handler);

        assertEquals(45_000, first.get("written").asLong(), first.toString());
        assertEquals("COMPLETE", second.get("sources").get(0).get("status").asText(), second.toString());
        assertEquals(45_000, second.get("duplicates").asLong(), second.toString());
        assertEquals(0, second.get("written").asLong());
        assertTrue(stateBytes(afterFirst) < 4 * 1024, "the checkpoint item stays small: " + stateBytes(afterFirst));
        assertFalse(afterFirst.containsKey("seen"), afterFirst.keySet().toString());
        assertEquals("45000", afterFirst.get("seen_count"));
        assertEquals(List.of(afterFirst.get("seen_object")), fixture.keys(SEEN_PREFIX),
                "the second run settled the same positions: the same object, not a second one");
        assertTrue(stateBytes(fixture.checkpoint("contacts").state()) < 4 * 1024);
        PullFixture.assertExactlyOnce(versions(records), fixture.written());
    }

    @Test
    void aCrashAfterTheSeenSetObjectIsWrittenButBeforeTheCheckpointMovesThenARerunWritesEveryRecordOnce() {
        fixture.api.seed(35, START, Duration.ZERO);
        fixture.configure(SourceConfig.contacts(fixture.api));
        Map<String, String> spillEverySeenSet = Map.of("PULL_SEEN_INLINE_BYTES", "16");
        PullIngestHandler crashing = handler(spillEverySeenSet, wiring -> wiring.withRaw(
                Crashes.crashAfterPut(wiring.raw(), SEEN_PREFIX, new AtomicInteger(), 2)));

        assertThrows(Crashes.SimulatedCrash.class, () -> invoke(crashing));
        Checkpoint crashed = fixture.checkpoint("contacts");
        List<String> objects = fixture.keys(SEEN_PREFIX);
        JsonNode rerun = invoke(handler(spillEverySeenSet, UnaryOperator.identity()));

        assertEquals(1, crashed.version(), "page 2's seen set is written, its checkpoint is not");
        assertEquals(2, objects.size(), objects.toString());
        assertTrue(objects.contains(crashed.state().get("seen_object")), crashed.state().toString());
        assertEquals("COMPLETE", rerun.get("sources").get(0).get("status").asText(), rerun.toString());
        assertEquals(15, rerun.get("written").asLong(), "pages 3 and 4: " + rerun);
        Map<String, String> settled = fixture.checkpoint("contacts").state();
        assertEquals("35", settled.get("seen_count"));
        assertTrue(fixture.keys(SEEN_PREFIX).contains(settled.get("seen_object")));
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aMissingSeenSetObjectFailsTheSourceWithAClearReasonAndWritesNothing() {
        fixture.api.seed(15, START, Duration.ZERO);
        fixture.configure(SourceConfig.contacts(fixture.api));
        Map<String, String> spillEverySeenSet = Map.of("PULL_SEEN_INLINE_BYTES", "16");
        invoke(handler(spillEverySeenSet, UnaryOperator.identity()));
        Checkpoint settled = fixture.checkpoint("contacts");
        String object = settled.state().get("seen_object");
        fixture.s3.deleteObject(d -> d.bucket(PullFixture.RAW).key(object));

        PullReport report = handler(spillEverySeenSet, UnaryOperator.identity()).pull(
                PullFixture.MAPPER.createObjectNode(), new FakeContext("PullIngestFunction", Duration.ofMinutes(15)));

        JsonNode failed = report.toJson(PullFixture.MAPPER).get("sources").get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("reason").asText().contains(object + " is missing"), failed.toString());
        assertEquals(0, failed.get("requests").asInt(), "nothing is asked for without knowing what was settled");
        assertEquals(settled, fixture.checkpoint("contacts"));
        fixture.assertEveryVersionExactlyOnce();
    }

    @Test
    void aSourceWhoseCheckpointBreaksThePullFailsAloneAndTheSourcesAfterItComplete() {
        fixture.api.seed(15, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(fixture.api).name("broken"), SourceConfig.contacts(fixture.api));
        // A state value that is a number, not a string: reading it fails in a way the pull does not expect.
        fixture.dynamoDb.putItem(p -> p.tableName(PullFixture.TABLE).item(Map.of(
                "pk", AttributeValue.fromS("pull#broken"), "version", AttributeValue.fromN("1"),
                "state", AttributeValue.fromM(Map.of("cursor", AttributeValue.fromN("5"))))));
        PullIngestHandler handler = handler(Map.of(), UnaryOperator.identity());

        PullReport report = handler.pull(PullFixture.MAPPER.createObjectNode(),
                new FakeContext("PullIngestFunction", Duration.ofMinutes(15)));
        PullFailedException failure = assertThrows(PullFailedException.class, () -> invoke(handler));

        JsonNode sources = report.toJson(PullFixture.MAPPER).get("sources");
        assertEquals("FAILED", sources.get(0).get("status").asText(), sources.toString());
        String reason = sources.get(0).get("reason").asText();
        assertTrue(reason.startsWith("unexpected error"), reason);
        assertFalse(reason.contains("\tat ") || reason.contains("\n"), "a reason, not a stack trace: " + reason);
        assertEquals("COMPLETE", sources.get(1).get("status").asText(), sources.toString());
        assertEquals(15, sources.get(1).get("written").asLong());
        assertTrue(failure.getMessage().contains("1 of 2 pull sources failed: broken: unexpected error"),
                failure.getMessage());
        fixture.assertEveryVersionExactlyOnce();
    }

    private static List<String> versions(List<String> records) {
        return records.stream().map(PullCheckpointTest::json)
                .map(record -> record.get("id").asText() + "@" + record.get("updated_at").asText()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return PullFixture.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int stateBytes(Map<String, String> state) {
        return state.entrySet().stream().mapToInt(entry -> entry.getKey().length() + entry.getValue().length()).sum();
    }
}
