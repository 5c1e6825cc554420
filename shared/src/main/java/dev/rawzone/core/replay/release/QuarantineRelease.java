package dev.rawzone.core.replay.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.rawzone.core.replay.rederive.ReleaseMarkers;
import dev.rawzone.core.replay.rederive.Revalidation;
import dev.rawzone.core.replay.rederive.StoredPart;
import dev.rawzone.core.replay.rederive.TargetVersion;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The quarantine release (redrive with {@code selection.quarantine}): each live quarantine part's entries whose
 * record is valid under v<T> now (after a schema fix) are written, byte for byte, to
 * {@code raw/<source>/<dataset>/schema=v<T>/dt=<dt>/released/<part name>}, then the release marker
 * {@code <part key>.released-v<T>.json} lists them. The quarantine part stays; the marker takes the released
 * entries out of its accounting. Entries an earlier release wrote (into any version) are not released again.
 */
public final class QuarantineRelease implements ReplayUnits {
    public static final String QUARANTINE_PART = "quarantine-part";

    private final ConditionalSink raw;
    private final SchemaCatalogue catalogue;
    private final ObjectMapper mapper;
    private final InputParts inputs;
    private final TargetVersion versions;
    private final Revalidation revalidation;
    private final DerivedParts derived;
    private final ReleaseMarkers releases;

    public QuarantineRelease(ConditionalSink raw, SchemaCatalogue catalogue, ObjectMapper mapper) {
        this.raw = raw;
        this.catalogue = catalogue;
        this.mapper = mapper;
        this.inputs = new InputParts(raw, mapper);
        this.versions = new TargetVersion(catalogue);
        this.revalidation = new Revalidation(new RecordValidator(catalogue), mapper);
        this.derived = new DerivedParts(raw, mapper);
        this.releases = new ReleaseMarkers(raw, derived);
    }

    /**
     * One unit per live quarantine part, from the listing alone: a part whose entries carry no record (unreadable
     * input only) is found so when its unit reads it, and releases nothing.
     */
    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        return inputs.quarantine(selection).stream()
                .map(part -> new ReplayItem(QUARANTINE_PART, part.key(), versions.attributes(selection, part.dataset())))
                .toList();
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        PartKey key = PartKey.parse(item.key()).filter(part -> part.isQuarantine() && part.isOriginal())
                .orElseThrow(() -> new IllegalArgumentException(item.key() + " is not a live quarantine part"));
        int version = versions.resolve(item, key.dataset(), key.dataset());
        Optional<JsonNode> marker = derived.marker(key.releaseMarker(version));
        if (marker.isPresent()) {
            long released = marker.get().path(ReleaseMarkers.ENTRIES).size();
            return new UnitResult(item, UnitStatus.ALREADY_DONE, "released into v" + version + " already ("
                    + key.releaseMarker(version) + ")", new Counts(released, 0, 0, released, 0), List.of(), List.of(), 0);
        }
        if (rebuiltInto(key, version)) {
            return UnitResult.of(item, UnitStatus.ALREADY_DONE, "a rebuild re-derived it into v" + version + " ("
                    + key.rebuildMarker(version) + "): its valid records are in that generation already");
        }
        Optional<StoredPart> found = StoredPart.find(raw, key);
        if (found.isEmpty()) {
            return UnitResult.of(item, UnitStatus.MISSING, key.key() + " is not in the raw bucket");
        }
        return release(item, found.get(), version, run);
    }

    private UnitResult release(ReplayItem item, StoredPart part, int version, ReplayRun run) {
        PartKey key = part.key();
        StoredPart.Lines lines = part.read(raw);
        Set<Integer> earlier = releases.releasedAny(key);
        Revalidation.Target target = new Revalidation.Target(key.key(), part.identity().uri(), key.dataset(), version);
        List<byte[]> records = new ArrayList<>();
        List<Integer> entries = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        long stillQuarantined = 0;
        for (int line = 1; line <= lines.lines().size(); line++) {
            if (earlier.contains(line)) {
                continue;
            }
            Revalidation.Checked checked = revalidation.entry(target, lines.lines().get(line - 1));
            if (checked.verdict() == Revalidation.Verdict.VALID) {
                records.add(checked.record());
                entries.add(line);
                positions.add(checked.position().orElse(Position.of(line)));
            } else {
                stillQuarantined++;
            }
        }
        String output = key.released(version);
        int in = lines.lines().size();
        Counts counts = new Counts(in, records.size(), stillQuarantined, earlier.size(), 0);
        if (run.dryRun()) {
            return new UnitResult(item, UnitStatus.PLANNED, "would read " + key.key() + " (" + in + " entries), write "
                    + output + " (" + records.size() + " released), " + stillQuarantined + " stay quarantined, "
                    + earlier.size() + " released before", counts, List.of(key.key()), List.of(), lines.storedBytes());
        }
        if (records.isEmpty()) {
            return new UnitResult(item, UnitStatus.ALREADY_DONE, "nothing to release into v" + version + ": "
                    + stillQuarantined + " entries stay quarantined, " + earlier.size() + " released before", counts,
                    List.of(key.key()), List.of(), lines.storedBytes());
        }
        DerivedParts.Outcome outcome = derived.publish(output, records, new DerivedParts.Derivation(part, key.dataset(),
                catalogue.schema(key.dataset(), version).schemaId(), version,
                positions.stream().min(Comparator.naturalOrder()).orElseThrow(),
                positions.stream().max(Comparator.naturalOrder()).orElseThrow(), Optional.empty()), run);
        if (outcome.published() == DerivedParts.Published.CONFLICT) {
            return new UnitResult(item, UnitStatus.DIFFERS, outcome.detail(), Counts.ZERO, List.of(key.key()),
                    List.of(), lines.storedBytes());
        }
        boolean created = outcome.published() == DerivedParts.Published.CREATED;
        if (!created) {
            counts = new Counts(in, 0, stillQuarantined, earlier.size() + records.size(), 0);
        }
        derived.mark(key.releaseMarker(version), marker(key, version, output, entries, positions, run), run);
        List<String> written = created ? List.of(output, key.releaseMarker(version)) : List.of(key.releaseMarker(version));
        return new UnitResult(item, UnitStatus.DONE, records.size() + " released into " + output + ", "
                + stillQuarantined + " stay quarantined" + (earlier.isEmpty() ? "" : ", " + earlier.size()
                + " released before"), counts, List.of(key.key()), written, lines.storedBytes());
    }

    /** Whether a rebuild to {@code version} re-derived the part: its marker, or (before the marker) its output. */
    private boolean rebuiltInto(PartKey key, int version) {
        return raw.metadata(key.rebuildMarker(version)).isPresent()
                || derivedFrom(key, key.rebuilt(key.dataset(), version))
                || derivedFrom(key, key.rebuildQuarantine(key.dataset(), version));
    }

    private boolean derivedFrom(PartKey key, String output) {
        return raw.metadata(output).map(lineage -> key.key().equals(lineage.get(DerivedParts.DERIVED_FROM)))
                .orElse(false);
    }

    private ObjectNode marker(PartKey key, int version, String output, List<Integer> entries, List<Position> positions,
                              ReplayRun run) {
        ObjectNode marker = mapper.createObjectNode();
        marker.put("quarantine_part", key.key());
        marker.put("schema_version", version);
        marker.put("target", output);
        ArrayNode released = marker.putArray(ReleaseMarkers.ENTRIES);
        entries.forEach(released::add);
        ArrayNode sourcePositions = marker.putArray("positions");
        positions.forEach(position -> sourcePositions.add(position.toString()));
        marker.put("replay_run", run.runId());
        return marker;
    }
}
