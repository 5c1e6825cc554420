package dev.rawzone.core.replay.rebuild;

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
import dev.rawzone.core.replay.rederive.LandingRoute;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.replay.rederive.PartRebuild;
import dev.rawzone.core.replay.rederive.PartRelease;
import dev.rawzone.core.replay.rederive.QuarantineClaims;
import dev.rawzone.core.replay.rederive.Rederiving;
import dev.rawzone.core.replay.rederive.StoredPart;
import dev.rawzone.core.replay.rederive.TargetVersion;
import dev.rawzone.core.replay.rederive.WholeObjectCopies;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rebuild mode: each original part of the selection (raw/ data parts and live quarantine parts) re-derived
 * through today's routing and validation into generation v<T>: its valid records, byte for byte, to
 * {@code raw/<source>/<dataset>/schema=v<T>/dt=<dt>/<name>}, the ones v<T> refuses to
 * {@code quarantine/<source>/<dataset>/dt=<dt>/rebuild-v<T>/<name>}, then the unit marker. Earlier generations are
 * only read. A quarantine part is re-derived under its claim ({@link QuarantineClaims}): when a release holds it,
 * the release is completed first if it stopped, and the records it put into v<T> are not derived a second time.
 */
public final class RebuildUnits implements ReplayUnits {
    public static final String PART = "part";
    public static final String QUARANTINE_PART = "quarantine-part";

    private final ConditionalSink raw;
    private final InputParts inputs;
    private final TargetVersion versions;
    private final LandingRoute routes;
    private final DerivedParts derived;
    private final QuarantineClaims claims;
    private final PartRebuild parts;
    private final PartRelease releases;
    private final WholeObjectCopies wholeObjects;

    public RebuildUnits(ConditionalSink raw, SchemaCatalogue catalogue, Routing routing, ObjectMapper mapper) {
        this.raw = raw;
        this.inputs = new InputParts(raw, mapper);
        this.versions = new TargetVersion(catalogue);
        this.routes = new LandingRoute(raw, routing, mapper);
        Rederiving zone = Rederiving.of(raw, catalogue, mapper);
        this.derived = zone.derived();
        this.claims = new QuarantineClaims(derived, mapper);
        this.parts = new PartRebuild(zone);
        this.releases = new PartRelease(zone);
        this.wholeObjects = new WholeObjectCopies(raw);
    }

    /**
     * One unit per original: a data part's name in its lowest generation (the one ingest wrote; higher ones are
     * earlier rebuilds of it), unless that is already v<T> or above; each live quarantine part; and each whole-object
     * copy, which is only reported.
     */
    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        Map<List<Object>, PartKey> originals = new LinkedHashMap<>();
        for (PartKey part : inputs.data(selection)) {
            originals.merge(List.of(part.source(), part.dataset(), part.date(), part.name()), part,
                    (a, b) -> a.version().getAsInt() <= b.version().getAsInt() ? a : b);
        }
        List<ReplayItem> items = new ArrayList<>();
        originals.values().stream().sorted(Comparator.comparing(PartKey::key)).forEach(part -> {
            Map<String, String> attributes = versions.attributes(selection, part.dataset());
            Optional<Integer> target = TargetVersion.planned(attributes);
            if (target.isEmpty() || part.version().getAsInt() < target.get()) {
                items.add(new ReplayItem(PART, part.key(), attributes));
            }
        });
        for (PartKey part : inputs.quarantine(selection)) {
            items.add(new ReplayItem(QUARANTINE_PART, part.key(), versions.attributes(selection, part.dataset())));
        }
        inputs.wholeObjects(selection).forEach(copy -> items.add(wholeObjects.item(copy)));
        return items;
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        if (item.kind().equals(WholeObjectCopies.WHOLE_OBJECT)) {
            return wholeObjects.report(item);
        }
        PartKey key = PartKey.parse(item.key()).filter(PartKey::isOriginal).orElseThrow(() ->
                new IllegalArgumentException(item.key() + " is not an original data or quarantine part"));
        Optional<StoredPart> found = StoredPart.find(raw, key);
        if (found.isEmpty()) {
            return UnitResult.of(item, UnitStatus.MISSING, key.key() + " is not in the raw bucket");
        }
        StoredPart input = found.get();
        LandingRoute.Decision route = routes.of(input);
        int version = versions.resolve(item, key.dataset(), route.dataset());
        if (!key.isQuarantine() && key.version().getAsInt() >= version && route.dataset().equals(key.dataset())) {
            return UnitResult.of(item, UnitStatus.ALREADY_DONE, "already generation v" + key.version().getAsInt());
        }
        Optional<JsonNode> marker = derived.marker(key.rebuildMarker(version));
        if (marker.isPresent()) {
            long in = marker.get().path("counts").path("in").asLong();
            return new UnitResult(item, UnitStatus.ALREADY_DONE, "rebuilt into v" + version + " already ("
                    + key.rebuildMarker(version) + ")", new Counts(in, 0, 0, in, 0), List.of(), List.of(), 0);
        }
        String note = route.note().map(n -> "; " + n).orElse("");
        if (!key.isQuarantine() || run.dryRun() || raw.metadata(key.releaseMarker(version)).isPresent()) {
            return parts.rebuild(item, input, route.dataset(), version, note, run);
        }
        QuarantineClaims.Holder claim = claims.take(key, version, QuarantineClaims.Owner.REBUILD, route.dataset(), run);
        if (claim.owner() == QuarantineClaims.Owner.RELEASE) {
            UnitResult release = releases.release(item, input, version, run);
            if (release.status().isProblem()) {
                return release;
            }
            UnitResult rest = parts.rebuild(item, input, route.dataset(), version, note + "; the records valid under v"
                    + version + " are the release's: " + claim.describe(), run);
            return rest.status().isProblem() ? rest : QuarantineClaims.withCompletion(rest, release, claim);
        }
        return parts.rebuild(item, input, claim.dataset(), version, note, run);
    }
}
