package dev.rawzone.functions.replay;

import dev.rawzone.testkit.FakeContext;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler's three forms (whole run, plan, one item) over a raw zone the real S3 ingest core wrote, with a test
 * mode that copies each part: what it writes, prints and responds, on a dry run, when time runs out and on damage.
 */
class ReplayHandlerTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private ReplayFixture fixture;
    private List<String> parts;

    @BeforeEach
    void seed() throws IOException {
        fixture = new ReplayFixture(EMULATOR.emulator());
        fixture.seedOrders();
        parts = fixture.parts();
        assertTrue(parts.size() >= 2, "the seed wrote parts of two records: " + parts);
    }

    @Test
    void aWholeRunDoesEveryUnitPrintsALineForEachAndRecordsTheRunInItsManifest() throws IOException {
        JsonNode response = fixture.invoke("{\"mode\": \"verify\", \"selection\": {\"source\": \"s3\"}}");

        String runId = response.get("run_id").asText();
        assertTrue(runId.matches("verify-20261202T081530-[0-9a-f]{8}"), "generated from the invocation's time: " + runId);
        assertEquals(parts.size(), response.get("units").asInt(), response.toString());
        assertEquals(parts.size(), response.at("/by_status/DONE").asInt(), response.toString());
        assertEquals(5, response.at("/counts/in").asLong(), "the sample object's five records");
        assertEquals(5, response.at("/counts/written").asLong());
        assertEquals(0, response.get("exit_code").asInt());
        assertFalse(response.get("stopped_early").asBoolean());
        assertEquals(0, response.get("problems").size());
        for (String part : parts) {
            String copy = CopyPartUnits.copyKey(runId, part);
            assertEquals(runId, fixture.metadata(copy).get("replay-run"), "the run's marks reach what it writes");
            assertEquals("verify", fixture.metadata(copy).get("replay-mode"));
        }
        String manifest = response.get("manifest").asText();
        assertEquals("manifests/replay/verify/" + runId + "/attempt-1.jsonl.gz", manifest);
        assertEquals(1 + parts.size(), gunzipLines(fixture.bytes(manifest)).size(), "a summary line, then one per unit");
        List<String> expected = new ArrayList<>();
        parts.forEach(part -> expected.add("DONE " + part));
        assertEquals(expected, fixture.lines().subList(0, parts.size()));
        String totals = fixture.lines().get(parts.size());
        assertTrue(totals.startsWith("replay verify " + runId + ": " + parts.size() + " units (DONE " + parts.size()
                + "); records: in 5, written 5"), totals);
        assertTrue(totals.endsWith("; manifest " + manifest), totals);
    }

    @Test
    void aDamagedPartIsAProblemInTheResponseAndTheExitCode() {
        String damaged = parts.get(0);
        fixture.s3.putObject(p -> p.bucket(ReplayFixture.RAW).key(damaged).metadata(fixture.metadata(damaged)),
                RequestBody.fromBytes(new byte[] {31, -117, 8, 0}));

        JsonNode response = fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"check-1\"}");

        assertEquals(1, response.get("exit_code").asInt(), response.toString());
        assertEquals(1, response.get("problems").size());
        JsonNode problem = response.get("problems").get(0);
        assertEquals(damaged, problem.get("key").asText());
        assertEquals("DIFFERS", problem.get("status").asText());
        assertEquals("content-sha256 differs from the lineage's", problem.get("detail").asText());
        assertTrue(fixture.lines().contains("DIFFERS " + damaged + ": content-sha256 differs from the lineage's"),
                String.join("\n", fixture.lines()));
    }

    @Test
    void aDryRunSaysWhatItWouldDoAndWritesNothing() {
        JsonNode response = fixture.invoke("{\"mode\": \"rebuild\", \"dry_run\": true, \"run_id\": \"try-1\"}");

        assertEquals(parts.size(), response.at("/by_status/PLANNED").asInt(), response.toString());
        assertTrue(response.get("manifest").isNull(), "no manifest for a dry run: " + response);
        assertEquals(List.of(), fixture.keys("manifests/replay/"));
        assertTrue(fixture.lines().get(0).startsWith("PLANNED " + parts.get(0) + ": would copy to "), fixture.lines().get(0));
    }

    @Test
    void whenTheTimeRunsOutTheUnitsLeftAreNotReachedAndTheRunSaysItStoppedEarly() {
        JsonNode response = fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"late-1\"}", Duration.ofSeconds(20));

        assertEquals(parts.size(), response.at("/by_status/NOT_REACHED").asInt(), response.toString());
        assertTrue(response.get("stopped_early").asBoolean());
        assertEquals(1, response.get("exit_code").asInt());
        assertEquals(List.of(), fixture.keys("manifests/replay/copies/"), "no unit was started");
        assertTrue(fixture.lines().get(parts.size()).endsWith("stopped early, re-run with the same run_id to continue"));
    }

    @Test
    void aPlanListsTheRunsItemsOnceAndEachItemRunsOnItsOwn() throws IOException {
        JsonNode planned = fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"map-1\", \"plan\": true}");

        String key = "manifests/replay/verify/map-1/plan.json";
        assertEquals(ReplayFixture.RAW, planned.get("bucket").asText());
        assertEquals(key, planned.get("key").asText());
        assertEquals(parts.size(), planned.get("items").asInt());
        JsonNode listing = ReplayFixture.MAPPER.readTree(fixture.bytes(key));
        List<String> listed = new ArrayList<>();
        listing.forEach(element -> listed.add(ReplayItem.fromJson(element).key()));
        assertEquals(parts, listed, "the JSON array the map's ItemReader reads");

        fixture.s3.putObject(p -> p.bucket(ReplayFixture.RAW).key("raw/s3/orders/schema=v1/dt=2026-11-26/late.jsonl.gz"),
                RequestBody.fromBytes(new byte[] {1}));
        JsonNode again = fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"map-1\", \"plan\": true}");
        assertEquals(parts.size(), again.get("items").asInt(), "a run's plan stands once written: " + again);

        String item = "{\"mode\": \"verify\", \"run_id\": \"map-1\", \"dry_run\": false, \"item\": " + listing.get(0) + "}";
        JsonNode first = fixture.invoke(item);
        JsonNode second = fixture.invoke(item);
        assertEquals("DONE", first.get("status").asText(), first.toString());
        assertEquals(List.of(CopyPartUnits.copyKey("map-1", parts.get(0))), texts(first.get("written")));
        assertEquals("ALREADY_DONE", second.get("status").asText(), "an item run twice writes once: " + second);
        assertEquals(List.of(CopyPartUnits.copyKey("map-1", parts.get(0))), fixture.keys("manifests/replay/copies/"));
    }

    @Test
    void anItemThatFailsThrowsSoTheMapRetriesIt() {
        String missing = "raw/s3/orders/schema=v1/dt=2026-11-25/gone.jsonl.gz";

        UnitFailedException failure = assertThrows(UnitFailedException.class, () -> fixture.invoke(
                "{\"mode\": \"verify\", \"run_id\": \"map-2\", \"item\": {\"kind\": \"part\", \"key\": \"" + missing + "\"}}"));

        assertTrue(failure.getMessage().startsWith("FAILED " + missing + ": "), failure.getMessage());
        assertTrue(failure.getMessage().contains("no part " + missing), failure.getMessage());
    }

    @Test
    void theRunnersDryRunListsTheUnitsOfTheEventAndWritesNothing() {
        List<ObjectNode> units = fixture.dryRun("{\"mode\": \"verify\", \"selection\": {\"dataset\": \"orders\"}}");

        assertEquals(parts, units.stream().map(unit -> unit.get("key").asText()).toList());
        assertEquals("verify", units.get(0).get("mode").asText());
        assertEquals(List.of(), fixture.keys("manifests/replay/"));
    }

    @Test
    void aMalformedEventFailsBeforeAnythingIsReadOrWritten() {
        MalformedEventException error = assertThrows(MalformedEventException.class,
                () -> fixture.invoke("{\"mode\": \"verify\", \"plan\": \"yes\"}"));

        assertEquals("plan must be true or false, not \"yes\"", error.getMessage());
        assertEquals(List.of(), fixture.keys("manifests/replay/"));
        assertEquals(List.of(), fixture.lines());
    }

    @Test
    void aFunctionRefusesTheModesItsEnvironmentDoesNotAllowBeforeReadingAnything() {
        ReplayHandler readOnly = fixture.function("verify", CopyPartUnits.modes());
        ReplayHandler readWrite = fixture.function("redrive,rebuild", CopyPartUnits.modes());

        ModeNotAllowedException rebuild = assertThrows(ModeNotAllowedException.class, () -> ReplayFixture.invoke(
                readOnly, "{\"mode\": \"rebuild\", \"run_id\": \"r-1\"}", Duration.ofMinutes(15)));
        ModeNotAllowedException verify = assertThrows(ModeNotAllowedException.class, () -> readWrite.plan(
                new ByteArrayInputStream("{\"mode\": \"verify\"}".getBytes(StandardCharsets.UTF_8))));

        assertEquals("this function does not run replay rebuild: it runs verify (REPLAY_MODES); rebuild runs in "
                + "ReplayFunction", rebuild.getMessage());
        assertEquals("this function does not run replay verify: it runs redrive, rebuild (REPLAY_MODES); verify runs "
                + "in ReplayVerifyFunction", verify.getMessage());
        assertEquals(List.of(), fixture.keys("manifests/replay/"));
        assertEquals(List.of(), fixture.lines());
    }

    @Test
    void theBuiltInModesVerifyAndThenFindNothingToRedriveInTheRawZoneTheIngestCoreWrote() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReplayHandler handler = new ReplayHandler(fixture.wiring, new BuiltInModes(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        JsonNode verify = ReplayFixture.invoke(handler, "{\"mode\": \"verify\", \"selection\": {\"source\": \"s3\"}}",
                Duration.ofMinutes(15));
        JsonNode release = ReplayFixture.invoke(handler, "{\"mode\": \"redrive\", \"selection\": {\"quarantine\": true}}",
                Duration.ofMinutes(15));

        assertEquals(0, verify.get("exit_code").asInt(), verify.toString());
        assertTrue(verify.at("/by_status/OK").asInt() >= 1, verify.toString());
        assertEquals(0, verify.get("problems").size(), verify.toString());
        assertEquals(0, release.get("exit_code").asInt(), release.toString());
        assertEquals(0, release.at("/counts/written").asLong(), "no schema changed, so nothing is released");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("OK manifests/s3/orders/"), printed.toString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static List<String> gunzipLines(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
