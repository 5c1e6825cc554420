package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.ReplayEngine;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayProgress;
import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.route.TestS3;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.rawzone.core.replay.verify.RawZoneSeed.LANDING;
import static dev.rawzone.core.replay.verify.RawZoneSeed.MAPPER;
import static dev.rawzone.core.replay.verify.RawZoneSeed.RAW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify against the emulator, over a raw zone the real S3 and Kinesis ingesters wrote, damaged where a test needs
 * it. Every test also checks that verify wrote nothing to the raw bucket.
 */
class VerifyUnitsTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String REPORTS = "verify-reports";

    private S3Client s3;
    private RawZoneSeed zone;
    private List<String> before;

    @BeforeEach
    void setUp() {
        s3 = TestS3.client(EMULATOR.emulator());
        s3.createBucket(b -> b.bucket(REPORTS));
        zone = new RawZoneSeed(s3, new AwsClients(EMULATOR.emulator().environment()).kinesis()).ingest();
    }

    @Test
    void aZoneAsTheIngestersWroteItVerifiesOkAndNothingIsWritten() {
        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(List.of(), report.problems(), "problems");
        Map<String, Long> kinds = report.results().stream()
                .collect(Collectors.groupingBy(r -> r.item().kind(), Collectors.counting()));
        assertEquals(Map.of("manifest", 3L, "part", (long) kinesisParts().size(), StreamReread.KIND, 1L), kinds,
                "one unit per manifest, one per part no manifest names, one per Kinesis shard");
        UnitResult jsonl = result(report, zone.jsonlManifest());
        assertEquals(UnitStatus.OK, jsonl.status());
        assertEquals(5, jsonl.counts().in(), "3 records in data parts, 2 quarantine entries checked");
        assertTrue(jsonl.read().stream().anyMatch(key -> key.startsWith("s3://" + LANDING + "/orders/batch-1.jsonl?")),
                "the source version was re-read: " + jsonl.read());
        UnitResult unreadable = result(report, zone.manifestOf("broken"));
        assertEquals(UnitStatus.OK, unreadable.status(), unreadable.detail());
        assertTrue(unreadable.read().contains(zone.unreadable.quarantineKeys().get(0)), unreadable.read().toString());
        assertEquals(0, report.exitCode());
    }

    @Test
    void aPartReplacedByOtherContentDiffersOnItsSha256() {
        String part = zone.jsonl.dataKeys().get(0);
        Map<String, String> lineage = zone.raw.metadata(part).orElseThrow();
        byte[] other = RawZoneSeed.gzip("{\"id\":\"o-1\",\"amount\":11,\"currency\":\"EUR\"}\n{\"id\":\"o-2\",\"amount\":12.5}\n");
        s3.putObject(p -> p.bucket(RAW).key(part).metadata(lineage), RequestBody.fromBytes(other));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), zone.jsonlManifest());

        assertEquals(UnitStatus.DIFFERS, result.status(), result.detail());
        assertTrue(result.detail().contains(part + ": content-sha256 " + lineage.get("content-sha256")),
                result.detail());
        assertTrue(result.detail().contains("line 1 of " + part + " differs from a re-read"), result.detail());
    }

    @Test
    void aDeletedPartIsMissing() {
        String part = zone.csv.dataKeys().get(0);
        s3.deleteObject(d -> d.bucket(RAW).key(part));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), zone.manifestOf("day-2"));

        assertEquals(UnitStatus.MISSING, result.status());
        assertTrue(result.detail().startsWith("part " + part + " is missing"), result.detail());
    }

    @Test
    void aManifestWhoseCountsWereEditedDiffers() throws IOException {
        String manifest = zone.jsonlManifest();
        ObjectNode json = (ObjectNode) MAPPER.readTree(zone.raw.read(manifest).orElseThrow());
        ((ObjectNode) json.get("counts")).put("written", 4);
        s3.putObject(p -> p.bucket(RAW).key(manifest), RequestBody.fromBytes(MAPPER.writeValueAsBytes(json)));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), manifest);

        assertEquals(UnitStatus.DIFFERS, result.status());
        assertEquals("manifest counts do not add up: in 5, written + quarantined + duplicates + failed 6; "
                + "manifest says 4 written, its data parts hold 3", result.detail());
    }

    @Test
    void aLandingObjectOverwrittenSinceStillVerifiesFromTheVersionTheManifestNames() {
        zone.land("orders/batch-1.jsonl", "{\"id\":\"o-9\",\"amount\":1}\n");
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), zone.jsonlManifest());

        assertEquals(UnitStatus.OK, result.status(), result.detail());
        assertFalse(result.detail().contains("source gone"), result.detail());
        assertTrue(result.read().contains("s3://" + LANDING + "/orders/batch-1.jsonl?versionId="
                + zone.jsonl.notice().versionId().orElseThrow()), result.read().toString());
    }

    @Test
    void aLandingVersionDeletedLeavesTheStoredChecks() {
        s3.deleteObject(d -> d.bucket(LANDING).key("orders/batch-1.jsonl")
                .versionId(zone.jsonl.notice().versionId().orElseThrow()));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), zone.jsonlManifest());

        assertEquals(UnitStatus.OK, result.status(), result.detail());
        assertEquals("manifest, its parts and their lineage agree; source gone; stored checks only", result.detail());
    }

    @Test
    void twoDataPartsWithOverlappingRangesDifferInTheCrossUnitCheck() {
        String part = zone.jsonl.dataKeys().get(0);
        String copy = part.replace("-000000000001.jsonl.gz", "-000000000002.jsonl.gz");
        Map<String, String> lineage = new HashMap<>(zone.raw.metadata(part).orElseThrow());
        lineage.put("position-first", "2");
        lineage.put("position-last", "4");
        s3.copyObject(c -> c.sourceBucket(RAW).sourceKey(part).destinationBucket(RAW).destinationKey(copy)
                .metadataDirective(MetadataDirective.REPLACE).metadata(lineage));
        before = zone.everyVersion();

        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(UnitStatus.OK, result(report, copy).status(), "the copy agrees with its own lineage");
        List<UnitResult> overlaps = report.results().stream()
                .filter(r -> r.item().kind().equals(PositionClaims.KIND)).toList();
        assertEquals(1, overlaps.size(), overlaps.toString());
        assertEquals(UnitStatus.DIFFERS, overlaps.get(0).status());
        assertTrue(overlaps.get(0).detail().startsWith("position 2 of s3://" + LANDING + "/orders/batch-1.jsonl?versionId="), overlaps.get(0).detail());
        assertTrue(overlaps.get(0).detail().endsWith(" orders v2: in two data parts, " + part + " and " + copy),
                overlaps.get(0).detail());
    }

    @Test
    void aQuarantineEntryInTwoQuarantinePartsDiffersInTheCrossUnitCheck() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        String copy = quarantine.replace("-000000000003.jsonl.gz", "-000000000004.jsonl.gz");
        s3.copyObject(c -> c.sourceBucket(RAW).sourceKey(quarantine).destinationBucket(RAW).destinationKey(copy));
        before = zone.everyVersion();

        List<String> overlaps = verify(ReplaySelection.ALL).results().stream()
                .filter(r -> r.item().kind().equals(PositionClaims.KIND)).map(UnitResult::detail).toList();

        assertEquals(2, overlaps.size(), overlaps.toString());
        assertTrue(overlaps.get(0).startsWith("position 3 of "), overlaps.get(0));
        assertTrue(overlaps.get(0).endsWith(" orders quarantine: quarantined twice, in " + quarantine + " and " + copy),
                overlaps.get(0));
    }

    @Test
    void aReleasedPartIsCheckedAgainstItsLineageAndAPositionReleasedTwiceToOneVersionDiffers() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        String released = release(quarantine, 4);
        ReplayReport once = verify(ReplaySelection.ALL);
        assertEquals(List.of(), once.problems(), "released once");
        assertEquals(UnitStatus.OK, result(once, released).status());

        String rebuildQuarantine = quarantine.replace("/batch-1-", "/rebuild-v3/batch-1-");
        s3.copyObject(c -> c.sourceBucket(RAW).sourceKey(quarantine).destinationBucket(RAW)
                .destinationKey(rebuildQuarantine));
        putMarker(rebuildQuarantine + ".released-v2.json", released, 4);
        before = null;

        List<UnitResult> problems = verify(ReplaySelection.ALL).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).detail().endsWith(" orders released to v2: released twice, by " + quarantine
                + ".released-v2.json and " + rebuildQuarantine + ".released-v2.json"), problems.get(0).detail());
    }

    @Test
    void aReleasedPartWhoseMarkerIsNotThereDiffersItsRecordsAreStillCountedInQuarantine() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        String released = quarantine.replace("quarantine/s3/orders/", "raw/s3/orders/schema=v2/")
                .replace("/batch-1-", "/released/batch-1-");
        putPart(released, "{\"id\":\"o-4\",\"amount\":4}\n", Map.of("derived-from", quarantine,
                "position-first", "4", "position-last", "4"));

        UnitResult result = result(verify(ReplaySelection.ALL), released);

        assertEquals(UnitStatus.DIFFERS, result.status());
        assertEquals(released + " holds records of " + quarantine + " that are still counted live in quarantine: no "
                + "release marker " + quarantine + ".released-v2.json", result.detail());
    }

    @Test
    void aPositionBothReleasedAndReDerivedByARebuildIntoOneVersionDiffers() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        String released = release(quarantine, 4);
        String rederived = released.replace("/released/", "/from-quarantine/");
        putPart(rederived, "{\"id\":\"o-4\",\"amount\":4}\n", Map.of("derived-from", quarantine,
                "position-first", "4", "position-last", "4"));
        String rebuildMarker = PartKey.parse(quarantine).orElseThrow().rebuildMarker(2);
        zone.raw.putIfAbsent(rebuildMarker, "{\"positions\":[\"4\"]}".getBytes(StandardCharsets.UTF_8), Map.of());

        List<String> problems = verify(ReplaySelection.ALL).problems().stream().map(UnitResult::detail).toList();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("position 4 of "), problems.get(0));
        assertTrue(problems.get(0).endsWith(" orders v2: in two parts derived from quarantine (released, or re-derived "
                + "by a rebuild), " + rederived + " and " + released), problems.get(0));
    }

    @Test
    void aReleaseMarkerOfAReleaseThatFoundNothingToReleaseNamesNoTargetAndVerifiesOk() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        zone.raw.putIfAbsent(quarantine + ".released-v2.json", ("{\"quarantine_part\":\"" + quarantine
                + "\",\"schema_version\":2,\"released\":[],\"positions\":[]}").getBytes(StandardCharsets.UTF_8),
                Map.of());
        before = zone.everyVersion();

        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(List.of(), report.problems(), "problems");
    }

    @Test
    void aReleaseMarkerForAPositionItsQuarantinePartDoesNotHoldDiffers() {
        String quarantine = zone.jsonl.quarantineKeys().get(0);
        String released = release(quarantine, 5);
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), zone.jsonlManifest());

        assertEquals(UnitStatus.DIFFERS, result.status());
        assertEquals("release marker " + quarantine + ".released-v2.json releases position 5, which " + quarantine
                + " does not hold", result.detail());
    }

    @Test
    void aPartDerivedFromAnObjectThatIsGoneIsMissing() {
        String rebuilt = "raw/s3/orders/schema=v3/dt=2026-11-25/rebuilt-000000000001.jsonl.gz";
        putPart(rebuilt, "{\"id\":\"o-1\",\"amount\":10}\n", Map.of("derived-from",
                "raw/s3/orders/schema=v2/dt=2026-11-25/gone-000000000001.jsonl.gz", "position-first", "1",
                "position-last", "1"));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), rebuilt);

        assertEquals(UnitStatus.MISSING, result.status());
        assertEquals(rebuilt + " derives from raw/s3/orders/schema=v2/dt=2026-11-25/gone-000000000001.jsonl.gz, "
                + "which is missing", result.detail());
    }

    @Test
    void aRebuildsEntryForADataPartsRecordNamesItsPartAndLineInsteadOfAPosition() {
        String input = zone.jsonl.dataKeys().get(0);
        String named = rebuildQuarantine(input, "named");
        String unnamed = rebuildQuarantine(input, "unnamed");
        String record = "\"reason\":\"amount: must be at most 2\",\"schema_version\":2,\"record\":{\"id\":\"o-1\"}}\n";
        putPart(named, "{\"dataset\":\"orders\",\"derived_from\":\"" + input + "\",\"part_line\":1," + record,
                Map.of("derived-from", input, "position-first", "1", "position-last", "1"));
        putPart(unnamed, "{\"dataset\":\"orders\"," + record,
                Map.of("derived-from", input, "position-first", "1", "position-last", "1"));
        before = zone.everyVersion();

        ReplayReport report = verify(ReplaySelection.ALL);

        assertEquals(UnitStatus.OK, result(report, named).status(), result(report, named).detail());
        assertEquals(UnitStatus.DIFFERS, result(report, unnamed).status());
        assertEquals("line 1 of " + unnamed + " is not a quarantine entry with a position",
                result(report, unnamed).detail());
    }

    @Test
    void aPullPartIsCheckedAgainstItsLineageOnlyAndSaysWhy() {
        String part = "raw/pull/orders/schema=v2/dt=2026-11-25/api-000000000900.jsonl.gz";
        putPart(part, "{\"id\":\"o-900\",\"amount\":9}\n", Map.of("position-first", "900", "position-last", "900"));
        before = zone.everyVersion();

        UnitResult result = result(verify(ReplaySelection.ALL), part);

        assertEquals(UnitStatus.OK, result.status(), result.detail());
        assertEquals("part agrees with its lineage; a pull source's API cannot be re-read; stored checks only",
                result.detail());
    }

    @Test
    void aDryRunPlansEveryUnitAndReadsNoPart() {
        List<ReplayItem> plan = zone.units().plan(ReplaySelection.ALL);
        before = zone.everyVersion();
        ReplayRun run = ReplayRun.of("dry", ReplayMode.VERIFY, true, "test");

        List<UnitResult> results = plan.stream().map(item -> zone.units().run(item, run)).toList();

        assertTrue(results.stream().allMatch(r -> r.status() == UnitStatus.PLANNED && r.read().isEmpty()));
        assertEquals("would read manifest " + zone.jsonlManifest() + ", every part it lists and the source version "
                + "it names", results.stream().filter(r -> r.item().key().equals(zone.jsonlManifest())).findFirst()
                .orElseThrow().detail());
        assertEquals(before, zone.everyVersion());
    }

    @Test
    void aManifestSelectionCoversThatObjectOnly() {
        ReplaySelection one = new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(zone.jsonlManifest()), List.of(), false, Optional.empty());

        assertEquals(List.of(new ReplayItem(VerifyUnits.MANIFEST, zone.jsonlManifest())), zone.units().plan(one));
    }

    private ReplayReport verify(ReplaySelection selection) {
        if (before == null) {
            before = zone.everyVersion();
        }
        ReplayEngine engine = new ReplayEngine(zone.units(),
                new ReplayManifests(new S3ConditionalSink(s3, REPORTS), MAPPER));
        ReplayReport report = engine.run(selection, ReplayRun.of("verify-1", ReplayMode.VERIFY, false, "test"),
                TimeBudget.unlimited(), ReplayProgress.silent());
        assertEquals(before, zone.everyVersion(), "verify wrote to the raw bucket");
        return report;
    }

    /** What a quarantine release to v2 of one position writes: the released part, then its marker. */
    private String release(String quarantine, long position) {
        String released = quarantine.replace("quarantine/s3/orders/", "raw/s3/orders/schema=v2/")
                .replace("/batch-1-", "/released/batch-1-");
        putPart(released, "{\"id\":\"o-4\",\"amount\":4}\n", Map.of("derived-from", quarantine,
                "position-first", Long.toString(position), "position-last", Long.toString(position)));
        putMarker(quarantine + ".released-v2.json", released, position);
        return released;
    }

    /** Where a rebuild to v2 quarantines what it refuses of data part {@code input}, under another name. */
    private static String rebuildQuarantine(String input, String name) {
        String date = input.replaceAll(".*/(dt=[^/]+)/.*", "$1");
        return "quarantine/s3/orders/" + date + "/rebuild-v2/" + name + ".jsonl.gz";
    }

    /** A part as a rebuild or a release writes one: gzip JSON Lines with a lineage that agrees with it. */
    private void putPart(String key, String lines, Map<String, String> lineage) {
        byte[] body = RawZoneSeed.gzip(lines);
        Map<String, String> metadata = new HashMap<>(lineage);
        metadata.put("source", "s3");
        metadata.put("source-identity", zone.jsonl.notice().identity().metadataUri());
        metadata.put("dataset", "orders");
        metadata.put("schema-version", "2");
        metadata.put("record-count", Long.toString(lines.lines().count()));
        metadata.put("content-sha256", KeyParts.sha256Hex(body));
        zone.raw.putIfAbsent(key, body, metadata);
    }

    private void putMarker(String key, String target, long position) {
        zone.raw.putIfAbsent(key, ("{\"target\":\"" + target + "\",\"schema_version\":2,\"positions\":[" + position
                + "]}").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static UnitResult result(ReplayReport report, String key) {
        return report.results().stream().filter(r -> r.item().key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no unit for " + key + " in " + report.results()));
    }

    private List<String> kinesisParts() {
        return Stream.concat(zone.raw.keys("raw/kinesis/").stream(), zone.raw.keys("quarantine/kinesis/").stream())
                .toList();
    }
}
