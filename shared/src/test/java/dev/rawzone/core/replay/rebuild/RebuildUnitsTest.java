package dev.rawzone.core.replay.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rederive.RederiveFixture;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.rawzone.core.replay.rederive.RederiveFixture.MAPPER;
import static dev.rawzone.core.replay.rederive.RederiveFixture.ROUTING;
import static dev.rawzone.core.replay.rederive.RederiveFixture.dataset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rebuild against the emulator, over a raw zone the real ingest core wrote under schema v1, after v2 is published. */
class RebuildUnitsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private RederiveFixture zone;

    @BeforeEach
    void seedUnderVersionOne() {
        zone = new RederiveFixture(EMULATOR.emulator());
        zone.land("orders/day1.jsonl", RederiveFixture.DAY_ONE);
    }

    private RebuildUnits units(ConditionalSink sink, Routing routing) {
        return new RebuildUnits(sink, zone.catalogue(), routing, MAPPER);
    }

    private ReplayReport rebuild(String runId) {
        return RederiveFixture.replay(units(zone.raw, ROUTING), zone.raw, ReplayMode.REBUILD, dataset("orders"), runId,
                false);
    }

    @Test
    void rebuildWritesGenerationTwoWithTheRecordsOwnBytesAndLineageToWhatItCameFrom() {
        zone.publishVersionTwo();
        Map<String, String> before = zone.snapshot("");
        String v1Part = only(zone.keys("raw/s3/orders/schema=v1/"));
        String quarantinePart = only(zone.keys("quarantine/s3/orders/"));

        ReplayReport report = rebuild("rebuild-1");

        assertEquals(Map.of(UnitStatus.DONE, 2), report.byStatus(), report.results().toString());
        String v2Part = v1Part.replace("schema=v1", "schema=v2");
        List<String> v1Lines = zone.lines(v1Part);
        assertEquals(List.of(v1Lines.get(0), v1Lines.get(2)), zone.lines(v2Part),
                "the records valid under v2, each line exactly as stored in v1");
        assertEquals("{\"id\":\"e\",  \"amount\" : 20 ,\"note\":\"caf\\u00e9 é\"}", zone.lines(v2Part).get(1));
        Map<String, String> lineage = zone.lineage(v2Part);
        Map<String, String> input = zone.lineage(v1Part);
        assertEquals(v1Part, lineage.get("derived-from"));
        assertEquals("schema=v1", lineage.get("supersedes"));
        assertEquals("rebuild-1", lineage.get("replay-run"));
        assertEquals("rebuild", lineage.get("replay-mode"));
        assertEquals("2", lineage.get("schema-version"));
        assertEquals("orders/v2-test", lineage.get("schema-id"));
        assertEquals("2", lineage.get("record-count"));
        for (String kept : List.of("source", "source-identity", "position-first", "position-last", "dataset")) {
            assertEquals(input.get(kept), lineage.get(kept), kept);
        }

        String refused = v1Part.replace("raw/s3/orders/schema=v1/", "quarantine/s3/orders/").replaceFirst(
                "(dt=[0-9-]+/)", "$1rebuild-v2/");
        JsonNode entry = json(only(zone.lines(refused)));
        assertEquals("{\"id\":\"c\",\"amount\":5000}", entry.get("record").toString());
        assertTrue(entry.get("reason").asText().contains("maximum"), entry.toString());
        assertEquals(2, entry.get("schema_version").asInt());
        assertEquals(v1Part, entry.get("derived_from").asText());

        String rederived = quarantinePart.replace("quarantine/s3/orders/", "raw/s3/orders/schema=v2/")
                .replaceFirst("(dt=[0-9-]+/)", "$1from-quarantine/");
        assertEquals(List.of("{\"id\":\"b\",\"amount\":1.5}", "{\"id\":\"d\",\"amount\":7,\"currency\":\"GBP\"}"),
                zone.lines(rederived), "records quarantined under v1 and valid under v2 are re-derived into v2");
        assertEquals("2", zone.lineage(rederived).get("position-first"));
        assertEquals("4", zone.lineage(rederived).get("position-last"));
        String stillQuarantined = quarantinePart.replaceFirst("(dt=[0-9-]+/)", "$1rebuild-v2/");
        assertEquals(zone.lines(quarantinePart).get(2), only(zone.lines(stillQuarantined)),
                "an unreadable line stays quarantined, its entry copied as it was");

        Map<String, String> after = zone.snapshot("");
        before.forEach((key, sha) -> assertEquals(sha, after.get(key), "generation v1 and its quarantine untouched: " + key));
        assertEquals(new Counts(6, 4, 2, 0, 0), report.totals());
    }

    @Test
    void aSecondRebuildIsAlreadyDoneAndWritesNothing() {
        zone.publishVersionTwo();
        rebuild("rebuild-1");
        Map<String, String> before = zone.snapshot("");

        ReplayReport again = rebuild("rebuild-2");

        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 2), again.byStatus(), again.results().toString());
        assertEquals(new Counts(6, 0, 0, 6, 0), again.totals());
        Map<String, String> after = zone.snapshot("");
        after.keySet().removeIf(key -> key.startsWith("manifests/replay/rebuild/rebuild-2/"));
        assertEquals(before, after, "only the second run's own manifest is new");
    }

    @Test
    void twoRebuildsAtOnceWriteEachRecordOnce() throws Exception {
        zone.publishVersionTwo();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ReplayReport>> runs = new ArrayList<>();
        for (String runId : List.of("rebuild-a", "rebuild-b")) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                await(start);
                return rebuild(runId);
            }));
        }
        start.countDown();
        Counts total = Counts.ZERO;
        for (CompletableFuture<ReplayReport> run : runs) {
            ReplayReport report = run.get();
            assertTrue(report.problems().isEmpty(), report.problems().toString());
            assertTrue(report.totals().addsUp(), report.totals().toString());
            total = total.plus(report.totals());
        }

        assertEquals(4, total.written(), "each of the four v2 records written by one run only: " + total);
        assertEquals(2, total.quarantined(), total.toString());
        List<String> v2Records = new ArrayList<>();
        zone.keys("raw/s3/orders/schema=v2/").forEach(key -> v2Records.addAll(zone.lines(key)));
        assertEquals(4, v2Records.size(), v2Records.toString());
        assertEquals(4, v2Records.stream().distinct().count());
    }

    @Test
    void aCrashBetweenThePartAndTheMarkerIsRepairedByTheNextRun() {
        zone.publishVersionTwo();
        ConditionalSink crashing = zone.crashingOn(key -> key.startsWith("manifests/replay/rebuild/v2/"));
        ReplayReport crashed = RederiveFixture.replay(units(crashing, ROUTING), zone.raw, ReplayMode.REBUILD,
                dataset("orders"), "rebuild-1", false);
        assertEquals(Map.of(UnitStatus.FAILED, 2), crashed.byStatus());
        assertEquals(2, zone.keys("raw/s3/orders/schema=v2/").size(), "the parts were written before the crash");

        ReplayReport rerun = rebuild("rebuild-1");

        assertEquals(Map.of(UnitStatus.DONE, 2), rerun.byStatus(), rerun.results().toString());
        assertEquals(new Counts(6, 0, 0, 6, 0), rerun.totals(), "everything was there already");
        assertEquals(2, zone.keys("manifests/replay/rebuild/v2/").size(), "both unit markers now written");
        assertEquals(Map.of(UnitStatus.ALREADY_DONE, 2), rebuild("rebuild-2").byStatus());
    }

    @Test
    void anObjectNotDerivedFromTheInputAtTheOutputKeyIsNeverTakenAsOurs() {
        zone.publishVersionTwo();
        String v1Part = only(zone.keys("raw/s3/orders/schema=v1/"));
        String output = v1Part.replace("schema=v1", "schema=v2");
        zone.raw.putIfAbsent(output, new byte[] {1, 2, 3}, Map.of("note", "someone else's"));

        ReplayReport report = rebuild("rebuild-1");

        UnitResult unit = report.results().stream().filter(r -> r.item().key().equals(v1Part)).findFirst().orElseThrow();
        assertEquals(UnitStatus.DIFFERS, unit.status());
        assertTrue(unit.detail().contains("not derived from " + v1Part), unit.detail());
        assertEquals("someone else's", zone.lineage(output).get("note"));
        assertEquals(1, report.exitCode());
    }

    @Test
    void aDryRunSaysWhatItWouldReadAndWriteAndTouchesNothing() {
        zone.publishVersionTwo();
        Map<String, String> before = zone.snapshot("");

        ReplayReport report = RederiveFixture.replay(units(zone.raw, ROUTING), zone.raw, ReplayMode.REBUILD,
                dataset("orders"), "dry", true);

        assertEquals(Map.of(UnitStatus.PLANNED, 2), report.byStatus());
        String v1Part = only(zone.keys("raw/s3/orders/schema=v1/"));
        String detail = report.results().get(0).detail();
        assertTrue(detail.startsWith("would read " + v1Part + " (3 records), write "
                + v1Part.replace("schema=v1", "schema=v2") + " (2)"), detail);
        assertEquals(new Counts(6, 4, 2, 0, 0), report.totals());
        assertEquals(before, zone.snapshot(""));
    }

    @Test
    void theDatasetComesFromTodaysRoutingOfTheLandingKey() {
        zone.land("orders/eu/day1.jsonl", "{\"id\":\"eu-1\",\"amount\":3}\n");
        zone.schemas.put("orders_eu", 1, RederiveFixture.ORDERS_V1);
        zone.publishVersionTwo();
        Routing today = Routing.parse("{\"routes\":[{\"prefix\":\"orders/\",\"dataset\":\"orders\"},"
                + "{\"prefix\":\"orders/eu/\",\"dataset\":\"orders_eu\"}]}");
        String euPart = zone.keys("raw/s3/orders/schema=v1/", key -> key.contains("/day1-")).stream()
                .filter(key -> !zone.lines(key).get(0).contains("\"a\"")).findFirst().orElseThrow();

        ReplayReport report = RederiveFixture.replay(units(zone.raw, today), zone.raw, ReplayMode.REBUILD,
                dataset("orders"), "reroute", false);

        UnitResult unit = report.results().stream().filter(r -> r.item().key().equals(euPart)).findFirst().orElseThrow();
        assertEquals(UnitStatus.DONE, unit.status(), unit.detail());
        assertTrue(unit.detail().contains("orders/eu/day1.jsonl routes to orders_eu today (was orders)"), unit.detail());
        String moved = euPart.replace("raw/s3/orders/schema=v1/", "raw/s3/orders_eu/schema=v1/");
        assertEquals(List.of("{\"id\":\"eu-1\",\"amount\":3}"), zone.lines(moved));
        assertEquals("orders_eu", zone.lineage(moved).get("dataset"));
    }

    @Test
    void aLandingKeyTooLongForTheLineageIsReadFromTheObjectManifestAndTheNewLineageFitsS3() {
        String longKey = "orders/" + "\u00e9".repeat(300) + ".jsonl";
        zone.land(longKey, "{\"id\":\"fr-1\",\"amount\":4}\n");
        zone.schemas.put("orders_fr", 1, RederiveFixture.ORDERS_V1);
        zone.publishVersionTwo();
        Routing today = Routing.parse("{\"routes\":[{\"prefix\":\"orders/\",\"dataset\":\"orders\"},"
                + "{\"prefix\":\"orders/\u00e9\",\"dataset\":\"orders_fr\"}]}");
        String part = zone.keys("raw/s3/orders/schema=v1/").stream()
                .filter(key -> zone.lines(key).get(0).contains("fr-1")).findFirst().orElseThrow();
        assertTrue(zone.lineage(part).get("source-identity").contains("...#sha256="), "the ingest lineage cut the uri");

        ReplayReport report = RederiveFixture.replay(units(zone.raw, today), zone.raw, ReplayMode.REBUILD,
                new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of(part), false, Optional.empty()), "long-key", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), report.byStatus(), report.results().toString());
        String moved = part.replace("raw/s3/orders/schema=v1/", "raw/s3/orders_fr/schema=v1/");
        assertEquals(List.of("{\"id\":\"fr-1\",\"amount\":4}"), zone.lines(moved));
        int size = zone.lineage(moved).entrySet().stream()
                .mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        assertTrue(size <= 2048, "lineage of " + size + " bytes");
    }

    @Test
    void anObjectManifestSelectsThePartsItLists() {
        zone.land("orders/day2.jsonl", "{\"id\":\"x\",\"amount\":1}\n");
        zone.publishVersionTwo();
        String manifest = zone.keys("manifests/s3/orders/", key -> key.contains("/day1-")).get(0);

        List<String> planned = units(zone.raw, ROUTING).plan(new ReplaySelection(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(manifest), List.of(), false, Optional.empty()))
                .stream().map(i -> i.key()).toList();

        List<String> expected = new ArrayList<>(zone.keys("raw/s3/orders/schema=v1/", key -> key.contains("/day1-")));
        expected.addAll(zone.keys("quarantine/s3/orders/", key -> key.contains("/day1-")));
        assertEquals(expected, planned);
    }

    @Test
    void kinesisPartsKeepTheirDatasetAndTheirRecordsBytes() {
        zone.stream("{\"id\":\"k1\", \"amount\":1}", "{\"id\":\"k2\",\"amount\":2000}", "{\"id\":\"k3\",\"amount\":3}");
        zone.publishVersionTwo();
        String kinesisPart = only(zone.keys("raw/kinesis/orders/schema=v1/"));

        ReplayReport report = RederiveFixture.replay(units(zone.raw, ROUTING), zone.raw, ReplayMode.REBUILD,
                new ReplaySelection(Optional.of("kinesis"), Optional.of("orders"), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of(), false, Optional.empty()), "kinesis", false);

        assertEquals(Map.of(UnitStatus.DONE, 1), report.byStatus(), report.results().toString());
        String v2 = kinesisPart.replace("schema=v1", "schema=v2");
        assertEquals(List.of("{\"id\":\"k1\", \"amount\":1}", "{\"id\":\"k3\",\"amount\":3}"), zone.lines(v2));
        assertEquals(zone.lineage(kinesisPart).get("position-last"), zone.lineage(v2).get("position-last"));
        assertEquals(new Counts(3, 2, 1, 0, 0), report.totals());
    }

    @Test
    void thePlanReadsOnlyOriginalsBelowTheTargetGeneration() {
        zone.land("orders/bad.jsonl.gz", truncatedGzip(), ROUTING);
        assertEquals(1, zone.keys("quarantine/s3/orders/", key -> key.endsWith(".object")).size());
        zone.publishVersionTwo();
        rebuild("rebuild-1");
        zone.schemas.put("orders", 3, RederiveFixture.ORDERS_V2.replace("v2-test", "v3-test"));

        List<String> planned = units(zone.raw, ROUTING).plan(dataset("orders")).stream().map(i -> i.key()).toList();

        List<String> expected = new ArrayList<>(zone.keys("raw/s3/orders/schema=v1/"));
        expected.add(only(zone.keys("quarantine/s3/orders/", key -> !key.contains("/rebuild-v2/")
                && key.endsWith(".jsonl.gz"))));
        expected.add(only(zone.keys("quarantine/s3/orders/", key -> key.endsWith(".object"))));
        assertEquals(expected, planned, "not the v2 generation nor its quarantine; the whole-object copy to report it");
        assertTrue(units(zone.raw, ROUTING).plan(new ReplaySelection(Optional.empty(), Optional.of("orders"),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), false, Optional.of(1))).stream()
                .allMatch(item -> item.key().startsWith("quarantine/")), "nothing of generation v1 is rebuilt into v1");
    }

    @Test
    void aWholeObjectCopyIsAUnitOfItsOwnThatNamesTheLandingObjectToReIngest() {
        zone.land("orders/bad.jsonl.gz", truncatedGzip(), ROUTING);
        zone.publishVersionTwo();
        String copy = only(zone.keys("quarantine/s3/orders/", key -> key.endsWith(".object")));

        ReplayReport report = rebuild("rebuild-1");

        UnitResult unit = report.results().stream().filter(r -> r.item().key().equals(copy)).findFirst().orElseThrow();
        assertEquals(UnitStatus.OK, unit.status(), unit.detail());
        assertTrue(unit.detail().startsWith("whole-object copy of s3://" + RederiveFixture.LANDING
                + "/orders/bad.jsonl.gz"), unit.detail());
        assertTrue(unit.detail().contains("not re-derivable record by record"), unit.detail());
        assertEquals(new Counts(1, 0, 1, 0, 0), unit.counts(), "the one quarantined unit ingest counted it as");
        assertTrue(report.totals().addsUp(), report.totals().toString());
        assertEquals(List.of(), zone.keys("raw/s3/orders/schema=v2/", key -> key.contains("bad")));
    }

    private static String only(List<String> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private static byte[] truncatedGzip() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write("{\"id\":\"z\",\"amount\":1}\n".repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
