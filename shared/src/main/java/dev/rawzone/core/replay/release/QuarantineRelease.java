package dev.rawzone.core.replay.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rederive.DerivedParts;
import dev.rawzone.core.replay.rederive.InputParts;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.replay.rederive.PartRebuild;
import dev.rawzone.core.replay.rederive.PartRelease;
import dev.rawzone.core.replay.rederive.QuarantineClaims;
import dev.rawzone.core.replay.rederive.Rederiving;
import dev.rawzone.core.replay.rederive.ReleaseMarkers;
import dev.rawzone.core.replay.rederive.StoredPart;
import dev.rawzone.core.replay.rederive.TargetVersion;
import dev.rawzone.core.replay.rederive.WholeObjectCopies;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quarantine release (redrive with {@code selection.quarantine}): each live quarantine part's entries whose
 * record is valid under v<T> now (after a schema fix) are written, byte for byte, to
 * {@code raw/<source>/<dataset>/schema=v<T>/dt=<dt>/released/<part name>}, then the release marker
 * {@code <part key>.released-v<T>.json} names them. The quarantine part stays; the marker takes the released
 * entries out of its accounting. Entries an earlier release wrote (into any version) are not released again; while
 * a release into another version has claimed the part and not written its marker, the unit fails (a re-run
 * retries), as which entries that release takes is not known yet. A
 * part a rebuild claimed for v<T> ({@link QuarantineClaims}) is not released into it: its valid records are the
 * rebuild's (completed here if that rebuild stopped).
 */
public final class QuarantineRelease implements ReplayUnits {
    public static final String QUARANTINE_PART = "quarantine-part";

    private final ConditionalSink raw;
    private final SchemaCatalogue catalogue;
    private final InputParts inputs;
    private final TargetVersion versions;
    private final DerivedParts derived;
    private final QuarantineClaims claims;
    private final PartRelease releases;
    private final PartRebuild rebuilds;
    private final WholeObjectCopies wholeObjects;

    public QuarantineRelease(ConditionalSink raw, SchemaCatalogue catalogue, ObjectMapper mapper) {
        this.raw = raw;
        this.catalogue = catalogue;
        this.inputs = new InputParts(raw, mapper);
        this.versions = new TargetVersion(catalogue);
        Rederiving zone = Rederiving.of(raw, catalogue, mapper);
        this.derived = zone.derived();
        this.claims = new QuarantineClaims(derived, mapper);
        this.releases = new PartRelease(zone);
        this.rebuilds = new PartRebuild(zone);
        this.wholeObjects = new WholeObjectCopies(raw);
    }

    /**
     * One unit per live quarantine part, from the listing alone: a part whose entries carry no record (unreadable
     * input only) is found so when its unit reads it, and releases nothing; and one per whole-object copy, which is
     * only reported.
     */
    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        List<ReplayItem> items = new ArrayList<>();
        inputs.quarantine(selection).forEach(part -> items.add(new ReplayItem(QUARANTINE_PART, part.key(),
                versions.attributes(selection, part.dataset()))));
        inputs.wholeObjects(selection).forEach(copy -> items.add(wholeObjects.item(copy)));
        return items;
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        if (item.kind().equals(WholeObjectCopies.WHOLE_OBJECT)) {
            return wholeObjects.report(item);
        }
        PartKey key = PartKey.parse(item.key()).filter(part -> part.isQuarantine() && part.isOriginal())
                .orElseThrow(() -> new IllegalArgumentException(item.key() + " is not a live quarantine part"));
        int version = versions.resolve(item, key.dataset(), key.dataset());
        Optional<JsonNode> marker = derived.marker(key.releaseMarker(version));
        if (marker.isPresent()) {
            long released = ReleaseMarkers.count(marker.get());
            return new UnitResult(item, UnitStatus.ALREADY_DONE, "released into v" + version + " already ("
                    + key.releaseMarker(version) + ")", new Counts(released, 0, 0, released, 0), List.of(), List.of(), 0);
        }
        Optional<JsonNode> rebuilt = derived.marker(key.rebuildMarker(version));
        if (rebuilt.isPresent()) {
            return rebuiltAlready(item, version, key.rebuildMarker(version), rebuilt.get());
        }
        Optional<StoredPart> found = StoredPart.find(raw, key);
        if (found.isEmpty()) {
            return UnitResult.of(item, UnitStatus.MISSING, key.key() + " is not in the raw bucket");
        }
        Optional<QuarantineClaims.Holder> unfinished = claims.unfinishedReleaseElsewhere(key, version,
                catalogue.versions(key.dataset()));
        if (unfinished.isPresent()) {
            return UnitResult.of(item, UnitStatus.FAILED, "not released into v" + version + ": a release into another"
                    + " version is unfinished (" + unfinished.get().describe() + ", no release marker yet); a re-run"
                    + " once it is done releases what it left");
        }
        if (run.dryRun()) {
            return releases.release(item, found.get(), version, run);
        }
        QuarantineClaims.Holder claim = claims.take(key, version, QuarantineClaims.Owner.RELEASE, key.dataset(), run);
        if (claim.owner() == QuarantineClaims.Owner.RELEASE) {
            return releases.release(item, found.get(), version, run);
        }
        UnitResult rebuild = rebuilds.rebuild(item, found.get(), claim.dataset(), version, "", run);
        if (rebuild.status().isProblem()) {
            return rebuild;
        }
        UnitResult already = rebuiltAlready(item, version, claim.describe(), derived.marker(key.rebuildMarker(version))
                .orElseThrow(() -> new IllegalStateException("a finished rebuild of " + key.key() + " has no marker")));
        return QuarantineClaims.withCompletion(already, rebuild, claim);
    }

    /**
     * A part a rebuild re-derived into the version: its records valid there are that generation's already (as
     * duplicates here), the ones it refuses stay quarantined.
     */
    private static UnitResult rebuiltAlready(ReplayItem item, int version, String why, JsonNode marker) {
        long in = marker.path("counts").path("in").asLong();
        long refused = marker.path(PartRebuild.REFUSED).asLong(marker.path("counts").path("quarantined").asLong());
        return new UnitResult(item, UnitStatus.ALREADY_DONE, "a rebuild re-derived it into v" + version + " (" + why
                + "): its valid records are in that generation already", new Counts(in, 0, refused, in - refused, 0),
                List.of(item.key()), List.of(), 0);
    }
}
