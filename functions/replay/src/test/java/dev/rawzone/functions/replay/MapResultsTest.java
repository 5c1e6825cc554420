package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map's results as ResultWriter leaves them after a redrive (the first attempt's files and the redrive's, all
 * named by the manifest), read back into one result per unit of the plan.
 */
class MapResultsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final ReplayRun RUN = ReplayRun.of("rebuild-7", ReplayMode.REBUILD, false, "test");
    private static final String RESULTS = "manifests/replay/results/4d1c/";
    private static final ReplayItem REDRIVEN = new ReplayItem("part", "raw/s3/orders/schema=v1/dt=2026-11-25/a.jsonl.gz");
    private static final ReplayItem FAILED = new ReplayItem("part", "raw/s3/orders/schema=v1/dt=2026-11-25/b.jsonl.gz");
    private static final ReplayItem UNSTARTED = new ReplayItem("part", "raw/s3/orders/schema=v1/dt=2026-11-25/c.jsonl.gz");

    private ReplayFixture fixture;
    private MapResults results;

    @BeforeEach
    void buckets() {
        fixture = new ReplayFixture(EMULATOR.emulator());
        results = new MapResults(fixture.s3, ReplayFixture.RAW, ReplayFixture.MAPPER);
    }

    @Test
    void aRedrivenUnitsSuccessOutweighsItsFirstFailureAndAUnitWithNoResultIsNotReached() {
        UnitResult done = new UnitResult(REDRIVEN, UnitStatus.DONE, "", new Counts(2, 2, 0, 0, 0), List.of(REDRIVEN.key()),
                List.of("raw/s3/orders/schema=v2/dt=2026-11-25/a.jsonl.gz"), 120);
        put("FAILED_0.json", array(failed(REDRIVEN, "the raw zone was throttled"), failed(FAILED, "still throttled")));
        put("Redrive-1/SUCCEEDED_0.json", array(succeeded(done)));
        put("manifest.json", manifest(Map.of("FAILED", List.of("FAILED_0.json"),
                "SUCCEEDED", List.of("Redrive-1/SUCCEEDED_0.json"))));

        List<UnitResult> read = results.read(new MapResults.Location(ReplayFixture.RAW, RESULTS + "manifest.json"), RUN,
                List.of(REDRIVEN, FAILED, UNSTARTED));

        assertEquals(done, read.get(0));
        assertEquals(UnitResult.of(FAILED, UnitStatus.FAILED, "still throttled"), read.get(1),
                "a function error that carries no unit result: its message");
        assertEquals(UnitResult.of(UNSTARTED, UnitStatus.NOT_REACHED, "the map has no result for this unit"), read.get(2));
    }

    @Test
    void aResultOfAUnitThePlanDoesNotListIsRefused() {
        put("SUCCEEDED_0.json", array(succeeded(UnitResult.of(UNSTARTED, UnitStatus.DONE, ""))));
        put("manifest.json", manifest(Map.of("SUCCEEDED", List.of("SUCCEEDED_0.json"))));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> results.read(
                new MapResults.Location(ReplayFixture.RAW, RESULTS + "manifest.json"), RUN, List.of(REDRIVEN)));

        assertTrue(refused.getMessage().startsWith("1 results in " + RESULTS + "manifest.json are of units the plan of "
                + "run rebuild-7 does not list"), refused.getMessage());
    }

    private ObjectNode succeeded(UnitResult result) {
        return record(result.item(), "SUCCEEDED").put("Output", result.toJson(ReplayFixture.MAPPER).toString());
    }

    private ObjectNode failed(ReplayItem item, String message) {
        ObjectNode cause = ReplayFixture.MAPPER.createObjectNode().put("errorMessage", message)
                .put("errorType", UnitFailedException.class.getName());
        return record(item, "FAILED").put("Error", UnitFailedException.class.getName()).put("Cause", cause.toString());
    }

    private ObjectNode record(ReplayItem item, String status) {
        ObjectNode input = ReplayFixture.MAPPER.createObjectNode().put("mode", "rebuild").put("run_id", RUN.runId())
                .put("dry_run", false);
        input.set("item", item.toJson(ReplayFixture.MAPPER));
        return ReplayFixture.MAPPER.createObjectNode().put("Input", input.toString()).put("Status", status);
    }

    private ObjectNode manifest(Map<String, List<String>> files) {
        ObjectNode manifest = ReplayFixture.MAPPER.createObjectNode().put("DestinationBucket", ReplayFixture.RAW);
        ObjectNode listed = manifest.putObject("ResultFiles");
        files.forEach((status, names) -> names.forEach(name -> listed.withArray(status).addObject()
                .put("Key", RESULTS + name).put("Size", 1)));
        return manifest;
    }

    private static JsonNode array(JsonNode... records) {
        return ReplayFixture.MAPPER.createArrayNode().addAll(List.of(records));
    }

    private void put(String name, JsonNode body) {
        fixture.s3.putObject(p -> p.bucket(ReplayFixture.RAW).key(RESULTS + name), RequestBody.fromString(body.toString()));
    }
}
