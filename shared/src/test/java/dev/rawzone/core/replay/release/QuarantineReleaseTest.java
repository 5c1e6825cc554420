package dev.rawzone.core.replay.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rebuild.RebuildUnits;
import dev.rawzone.core.replay.rederive.RederiveFixture;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.rawzone.core.replay.rederive.RederiveFixture.MAPPER;
import static dev.rawzone.core.replay.rederive.RederiveFixture.ROUTING;
import static dev.rawzone.core.replay.rederive.RederiveFixture.dataset;
import static dev.rawzone.core.replay.rederive.RederiveFixture.quarantineOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quarantine release against the emulator: records the real ingest core quarantined under v1 (a decimal
 * amount, GBP) are valid under v2 once each test publishes it, and are released once each, beside their quarantine part.
 */
class QuarantineReleaseTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private RederiveFixture zone;
    private String quarantinePart;
    private String released;

    @BeforeEach
    void quarantineUnderVersionOne() {
        zone = new RederiveFixture(EMULATOR.emulator());
        zone.land("orders/day1.jsonl", RederiveFixture.DAY_ONE);
        quarantinePart = only(zone.keys("quarantine/s3/orders/"));
        released = quarantinePart.replace("quarantine/s3/orders/", "raw/s3/orders/schema=v2/")
                .replaceFirst("(dt=[0-9-]+/)", "$1released/");
    }

    private ReplayReport release(ConditionalSink sink, String runId, boolean dryRun) {
        return RederiveFixture.replay(new QuarantineRelease(sink, zone.catalogue(), MAPPER), zone.raw,
                ReplayMode.REDRIVE, quarantineOf("orders"), runId, dryRun);
    }

    @Test
    void recordsValidUnderTheNewVersionAreReleasedOnceWithAMarkerBesideTheirQuarantinePart() {
        zone.publishVersionTwo();
        Map<String, String> before = zone.snapshot("quarantine/");

        ReplayReport report = release(zone.raw, "release-1", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), report.byStatus(), report.results().toString());
        assertEquals(List.of("{\"id\":\"b\",\"amount\":1.5}", "{\"id\":\"d\",\"amount\":7,\"currency\":\"GBP\"}"),
                zone.lines(released), "each released record exactly as it was quarantined");
        Map<String, String> lineage = zone.lineage(released);
        assertEquals(quarantinePart, lineage.get("derived-from"));
        assertEquals("2", lineage.get("position-first"));
        assertEquals("4", lineage.get("position-last"));
        assertEquals("2", lineage.get("schema-version"));
        assertEquals("release-1", lineage.get("replay-run"));
        assertEquals("redrive", lineage.get("replay-mode"));
        JsonNode marker = json(quarantinePart + ".released-v2.json");
        assertEquals("[\"2\",\"4\"]", marker.get("released").toString(), "entries named by position, not by line");
        assertEquals("[\"2\",\"4\"]", marker.get("positions").toString());
        assertEquals(released, marker.get("target").asText());
        assertEquals("release-1", marker.get("replay_run").asText());
        Map<String, String> after = zone.snapshot("quarantine/");
        after.remove(quarantinePart + ".released-v2.json");
        assertEquals(before, after, "the quarantine part is still there, unchanged: a marker, never a deletion");
        assertEquals(new Counts(3, 2, 1, 0, 0), report.totals(), "the unreadable line stays quarantined");
    }

    @Test
    void aSecondReleaseIsANoOp() {
        zone.publishVersionTwo();
        release(zone.raw, "release-1", false);
        Map<String, String> before = zone.snapshot("");

        ReplayReport again = release(zone.raw, "release-2", false);

        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 1), again.byStatus());
        assertEquals(new Counts(2, 0, 0, 2, 0), again.totals());
        Map<String, String> after = zone.snapshot("");
        after.keySet().removeIf(key -> key.startsWith("manifests/replay/redrive/release-2/"));
        assertEquals(before, after);
    }

    @Test
    void aReleaseToALaterVersionSkipsWhatAnEarlierOneReleased() {
        zone.publishVersionTwo();
        release(zone.raw, "release-1", false);
        zone.schemas.put("orders", 3, RederiveFixture.ORDERS_V2.replace("v2-test", "v3-test"));

        ReplayReport later = release(zone.raw, "release-3", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), later.byStatus(), "only its marker, naming nothing, is written");
        assertEquals("[]", json(quarantinePart + ".released-v3.json").get("released").toString());
        assertEquals(new Counts(3, 0, 1, 2, 0), later.totals());
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v3/"));
    }

    @Test
    void aReleaseIntoAnotherVersionThatStoppedBeforeItsMarkerHoldsBackAReleaseOfTheSameEntries() {
        zone.schemas.put("orders", 2, RederiveFixture.ORDERS_V2);
        zone.schemas.put("orders", 3, RederiveFixture.ORDERS_V2.replace("v2-test", "v3-test"));
        ReplayReport stopped = releaseInto(2, zone.crashingOn(key -> key.endsWith(".released-v2.json")), "release-2");
        assertEquals(Map.of(UnitStatus.FAILED, 1), stopped.byStatus(), "v2's released part is written, its marker not");

        ReplayReport meanwhile = release(zone.raw, "release-3", false);

        assertEquals(Map.of(UnitStatus.FAILED, 1), meanwhile.byStatus(), meanwhile.results().toString());
        assertTrue(meanwhile.results().get(0).detail().contains("manifests/replay/claims/v2/"),
                meanwhile.results().get(0).detail());
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v3/"), "nothing released into v3 meanwhile");
        releaseInto(2, zone.raw, "release-2");
        ReplayReport later = release(zone.raw, "release-3", false);
        assertEquals(new Counts(3, 0, 1, 2, 0), later.totals(), later.results().toString());
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v3/"), "each entry released into one version only");
    }

    @Test
    void aReleaseThatHadNothingToReleaseIsFinishedSoItHoldsBackNoReleaseIntoALaterVersion() {
        zone.schemas.put("orders", 2, RederiveFixture.ORDERS_V1);
        ReplayReport nothing = release(zone.raw, "release-2", false);
        assertEquals(new Counts(3, 0, 3, 0, 0), nothing.totals(), "v2 accepts none of the quarantined entries");
        zone.schemas.put("orders", 3, RederiveFixture.ORDERS_V2.replace("v2-test", "v3-test"));

        ReplayReport later = release(zone.raw, "release-3", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), later.byStatus(), later.results().toString());
        assertEquals(new Counts(3, 2, 1, 0, 0), later.totals());
    }

    @Test
    void aCrashBetweenTheReleasedPartAndTheMarkerIsRepairedByTheNextRun() {
        zone.publishVersionTwo();
        ReplayReport crashed = release(zone.crashingOn(key -> key.endsWith(".released-v2.json")), "release-1", false);
        assertEquals(Map.of(UnitStatus.FAILED, 1), crashed.byStatus());
        assertEquals(2, zone.lines(released).size(), "the released part was written before the crash");

        ReplayReport rerun = release(zone.raw, "release-1", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), rerun.byStatus(), rerun.results().toString());
        assertEquals(new Counts(3, 0, 1, 2, 0), rerun.totals());
        assertEquals("[\"2\",\"4\"]", json(quarantinePart + ".released-v2.json").get("released").toString());
    }

    @Test
    void aDryRunSaysWhatItWouldReleaseAndTouchesNothing() {
        zone.publishVersionTwo();
        Map<String, String> before = zone.snapshot("");

        ReplayReport report = release(zone.raw, "dry", true);

        assertEquals(Map.of(UnitStatus.PLANNED, 1), report.byStatus());
        assertTrue(report.results().get(0).detail().startsWith("would read " + quarantinePart + " (3 entries), write "
                + released + " (2 released)"), report.results().get(0).detail());
        assertEquals(before, zone.snapshot(""));
    }

    @Test
    void releaseAndRebuildIntoOneGenerationPutEachRecordThereOnce() {
        zone.publishVersionTwo();
        release(zone.raw, "release-1", false);

        ReplayReport rebuild = rebuild(zone.raw, "rebuild-1");

        assertTrue(rebuild.problems().isEmpty(), rebuild.problems().toString());
        assertTrue(rebuild.totals().addsUp(), rebuild.totals().toString());
        assertEquals(new Counts(6, 2, 2, 2, 0), rebuild.totals(), "the two released records count as there already");
        assertEachRecordOnceInGenerationTwo(4);
    }

    @Test
    void aPartARebuildReDerivedIntoTheVersionIsNotReleasedIntoItAgain() {
        zone.publishVersionTwo();
        rebuild(zone.raw, "rebuild-1");

        ReplayReport report = release(zone.raw, "release-1", false);

        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 1), report.byStatus());
        assertTrue(report.results().get(0).detail().startsWith("a rebuild re-derived it into v2"),
                report.results().get(0).detail());
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v2/", key -> key.contains("/released/")));
    }

    @Test
    void aReleaseThatStoppedBeforeItsMarkerIsCompletedByARebuildIntoTheSameVersionNotRepeated() {
        zone.publishVersionTwo();
        release(zone.crashingOn(key -> key.endsWith(".released-v2.json")), "release-1", false);

        ReplayReport rebuild = rebuild(zone.raw, "rebuild-1");

        assertTrue(rebuild.problems().isEmpty(), rebuild.problems().toString());
        assertEquals(new Counts(6, 2, 2, 2, 0), rebuild.totals(), "the two released records count as there already");
        assertEachRecordOnceInGenerationTwo(4);
        assertEquals("[\"2\",\"4\"]", json(quarantinePart + ".released-v2.json").get("released").toString(),
                "the rebuild wrote the release's marker with the release's entries");
        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 1), release(zone.raw, "release-1", false).byStatus());
    }

    @Test
    void aReleaseThatStoppedRightAfterItsClaimIsCompletedByTheRebuildWithTheReleasesKeys() {
        zone.publishVersionTwo();
        release(zone.crashingOn(key -> key.contains("/released/")), "release-1", false);
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v2/"), "nothing written but the claim");

        ReplayReport rebuild = rebuild(zone.raw, "rebuild-1");

        assertEquals(new Counts(6, 4, 2, 0, 0), rebuild.totals(), "the rebuild wrote the released records itself");
        assertEquals(2, zone.lines(released).size(), "under the release's key, as the release would have");
        assertEachRecordOnceInGenerationTwo(4);
        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 1), release(zone.raw, "release-1", false).byStatus(),
                "the release's own re-run finds its work done");
    }

    @Test
    void aRebuildThatStoppedRightAfterItsClaimIsCompletedByTheReleaseWithTheRebuildsKeys() {
        zone.publishVersionTwo();
        rebuild(zone.crashingOn(key -> key.contains("/from-quarantine/")), "rebuild-1");

        ReplayReport report = release(zone.raw, "release-1", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), report.byStatus(), report.results().toString());
        assertTrue(report.results().get(0).detail().contains("the rebuild run rebuild-1 claimed it"),
                report.results().get(0).detail());
        assertEquals(new Counts(3, 2, 1, 0, 0), report.totals(), "the release wrote the rebuild's records itself");
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v2/", key -> key.contains("/released/")));
        assertTrue(rebuild(zone.raw, "rebuild-1").problems().isEmpty());
        assertEachRecordOnceInGenerationTwo(4);
    }

    @Test
    void aReleaseThatOvertakesARebuildBetweenItsLookAndItsFirstWriteIsNotRepeatedByTheRebuild() {
        zone.publishVersionTwo();
        ConditionalSink overtaken = zone.overtakenBy(() -> release(zone.raw, "release-1", false));

        ReplayReport rebuild = RederiveFixture.replay(new RebuildUnits(overtaken, zone.catalogue(), ROUTING, MAPPER),
                zone.raw, ReplayMode.REBUILD, onlyQuarantinePart(), "rebuild-1", false);

        assertTrue(rebuild.problems().isEmpty(), rebuild.problems().toString());
        assertEquals(new Counts(3, 0, 1, 2, 0), rebuild.totals(), rebuild.results().toString());
        assertTrue(rebuild.results().get(0).detail().contains("the release run release-1 claimed it"),
                rebuild.results().get(0).detail());
        assertEachRecordOnceInGenerationTwo(2);
    }

    @Test
    void aRebuildThatOvertakesAReleaseBetweenItsLookAndItsFirstWriteIsNotRepeatedByTheRelease() {
        zone.publishVersionTwo();
        ConditionalSink overtaken = zone.overtakenBy(() -> RederiveFixture.replay(new RebuildUnits(zone.raw,
                zone.catalogue(), ROUTING, MAPPER), zone.raw, ReplayMode.REBUILD, onlyQuarantinePart(), "rebuild-1",
                false));

        ReplayReport report = release(overtaken, "release-1", false);

        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 1), report.byStatus(), report.results().toString());
        assertEquals(new Counts(3, 0, 1, 2, 0), report.totals());
        assertEachRecordOnceInGenerationTwo(2);
    }

    @Test
    void aReleaseMarkerThatNamesEntriesByLineAsMarkersDidBeforeIsStillRead() {
        zone.publishVersionTwo();
        zone.raw.putIfAbsent(quarantinePart + ".released-v2.json", ("{\"entries\":[1,2],\"target\":\"" + released
                + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());

        ReplayReport rebuild = RederiveFixture.replay(new RebuildUnits(zone.raw, zone.catalogue(), ROUTING, MAPPER),
                zone.raw, ReplayMode.REBUILD, onlyQuarantinePart(), "rebuild-2", false);
        zone.schemas.put("orders", 3, RederiveFixture.ORDERS_V2.replace("v2-test", "v3-test"));
        ReplayReport later = release(zone.raw, "release-3", false);

        assertEquals(new Counts(3, 0, 1, 2, 0), rebuild.totals(), "lines 1 and 2 are not re-derived into v2 again");
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v2/", key -> key.contains("/from-quarantine/")));
        assertEquals(new Counts(3, 0, 1, 2, 0), later.totals(), "nor released into v3: they left the quarantine");
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v3/"));
    }

    @Test
    void kinesisEntriesAreReleasedWithTheirSequenceNumbers() {
        zone.stream("{\"id\":\"k1\",\"amount\":1}", "{\"id\":\"k2\",\"amount\":2.5}");
        zone.publishVersionTwo();
        String kinesisQuarantine = only(zone.keys("quarantine/kinesis/orders/"));

        ReplayReport report = RederiveFixture.replay(new QuarantineRelease(zone.raw, zone.catalogue(), MAPPER),
                zone.raw, ReplayMode.REDRIVE, new ReplaySelection(Optional.of("kinesis"), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), List.of(), true, Optional.of(2)),
                "release-k", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), report.byStatus(), report.results().toString());
        assertEquals("[\"1001\"]", json(kinesisQuarantine + ".released-v2.json").get("positions").toString());
    }

    private ReplayReport rebuild(ConditionalSink sink, String runId) {
        return RederiveFixture.replay(new RebuildUnits(sink, zone.catalogue(), ROUTING, MAPPER), zone.raw,
                ReplayMode.REBUILD, dataset("orders"), runId, false);
    }

    private ReplayReport releaseInto(int version, ConditionalSink sink, String runId) {
        return RederiveFixture.replay(new QuarantineRelease(sink, zone.catalogue(), MAPPER), zone.raw,
                ReplayMode.REDRIVE, new ReplaySelection(Optional.empty(), Optional.of("orders"), Optional.empty(),
                        Optional.empty(), Optional.empty(), List.of(), true, Optional.of(version)), runId, false);
    }

    private ReplaySelection onlyQuarantinePart() {
        return new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(quarantinePart), false, Optional.empty());
    }

    private void assertEachRecordOnceInGenerationTwo(int records) {
        List<String> generationTwo = new ArrayList<>();
        zone.keys("raw/s3/orders/schema=v2/").forEach(key -> generationTwo.addAll(zone.lines(key)));
        assertEquals(records, generationTwo.size(), generationTwo.toString());
        assertEquals(records, generationTwo.stream().distinct().count(), generationTwo.toString());
    }

    private JsonNode json(String key) {
        try {
            return MAPPER.readTree(zone.raw.read(key).orElseThrow(() -> new AssertionError("no " + key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String only(List<String> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
