package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.replay.ReplayMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample replay events parse to what events/README.md says they are; a malformed event names its field. */
class ReplayEventsTest {
    private static final Path EVENTS = Path.of("..", "..", "events");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void verifyIsAWholeRunOfOneDaysS3Orders() throws IOException {
        ReplayRequest verify = sample("replay-verify.json");

        assertEquals(ReplayMode.VERIFY, verify.mode());
        assertEquals(Optional.of("orders"), verify.selection().dataset());
        assertEquals(Optional.of(LocalDate.parse("2026-11-25")), verify.selection().from());
        assertTrue(verify.selection().includes("raw/s3/orders/schema=v1/dt=2026-11-25/orders-001-x-1.jsonl.gz"));
        assertFalse(verify.plan() || verify.dryRun() || verify.item().isPresent() || verify.runId().isPresent());
    }

    @Test
    void redriveDrainsTheKinesisQueueUnderItsOwnRunId() throws IOException {
        ReplayRequest redrive = sample("replay-redrive.json");

        assertEquals(ReplayMode.REDRIVE, redrive.mode());
        assertEquals(Optional.of("kinesis"), redrive.selection().source());
        assertEquals(Optional.of("redrive-kinesis-2026-12-02"), redrive.runId());
    }

    @Test
    void rebuildIsADryRunIntoSchemaVersionTwo() throws IOException {
        ReplayRequest rebuild = sample("replay-rebuild.json");

        assertEquals(ReplayMode.REBUILD, rebuild.mode());
        assertTrue(rebuild.dryRun());
        assertEquals(Optional.of(2), rebuild.selection().schemaVersion());
    }

    @Test
    void planItemAndConcludeAreTheStateMachinesThreeEventsOfOneRun() throws IOException {
        ReplayRequest plan = sample("replay-plan.json");
        ReplayRequest item = sample("replay-item.json");
        ReplayRequest conclude = sample("replay-conclude.json");

        assertTrue(plan.plan());
        assertEquals(plan.runId(), item.runId());
        assertEquals(plan.runId(), conclude.runId());
        assertEquals(plan.selection(), conclude.selection(), "the run manifest names the selection");
        assertTrue(conclude.results().orElseThrow().key().endsWith("/manifest.json"));
        assertEquals("part", item.item().orElseThrow().kind());
        assertTrue(item.item().orElseThrow().key().startsWith("raw/s3/orders/schema=v1/dt=2026-11-25/"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | {"mode":                                              | event is not JSON
            no mode                  | {"selection": {}}                                     | mode is missing
            unknown mode             | {"mode": "repair"}                                    | mode: unknown replay mode 'repair'
            misspelt field           | {"mode": "verify", "dryrun": true}                    | dryrun is not a field of the replay event
            dry_run not a boolean    | {"mode": "verify", "dry_run": "yes"}                  | dry_run must be true or false
            run_id empty             | {"mode": "verify", "run_id": ""}                      | run_id must be a non-empty string
            bad date                 | {"mode": "verify", "selection": {"from": "25.11."}}   | selection.from must be a date
            item without its key     | {"mode": "verify", "run_id": "r", "item": {"kind": "part"}} | item: a replay item needs
            item without a run       | {"mode": "verify", "item": {"kind": "part", "key": "k"}} | run_id is missing
            plan and item            | {"mode": "verify", "run_id": "r", "plan": true, "item": {"kind": "part", "key": "k"}} | plan and item exclude each other
            progress every 0 s       | {"mode": "verify", "progress_seconds": 0}             | progress_seconds must be a whole number from 1 to 3600
            results without a key    | {"mode": "verify", "run_id": "r", "results": {"Bucket": "b"}} | results must be the map's ResultWriterDetails
            results without a run    | {"mode": "verify", "results": {"Bucket": "b", "Key": "k"}} | run_id is missing
            results and plan         | {"mode": "verify", "run_id": "r", "plan": true, "results": {"Bucket": "b", "Key": "k"}} | results concludes a run
            """)
    void aMalformedEventIsRejectedNamingTheField(String what, String event, String message) {
        MalformedEventException error = assertThrows(MalformedEventException.class,
                () -> ReplayRequest.parse(event.getBytes(StandardCharsets.UTF_8), MAPPER));

        assertTrue(error.getMessage().startsWith(message), what + ": " + error.getMessage());
    }

    private static ReplayRequest sample(String file) throws IOException {
        return ReplayRequest.parse(Files.readAllBytes(EVENTS.resolve(file)), MAPPER);
    }
}
