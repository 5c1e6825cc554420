package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.Position;
import dev.rawzone.core.write.PutOutcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The release of one live quarantine part into generation v<T>: its entries whose record v<T> accepts, and that
 * no release into another version took out of quarantine already, written byte for byte to
 * {@link PartKey#released}, then the release marker naming them ({@link ReleaseMarkers}). The quarantine release
 * runs it for the parts it claimed; a rebuild runs it to complete a release that claimed a part and stopped.
 */
public final class PartRelease {
    private final Rederiving zone;

    public PartRelease(Rederiving zone) {
        this.zone = zone;
    }

    public UnitResult release(ReplayItem item, StoredPart part, int version, ReplayRun run) {
        PartKey key = part.key();
        StoredPart.Lines lines = part.read(zone.raw());
        ReleaseMarkers.Released earlier = zone.releases().releasedElsewhere(key, version);
        Revalidation.Target target = new Revalidation.Target(key.key(), part.identity().uri(), key.dataset(), version);
        List<byte[]> records = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        long stillQuarantined = 0;
        long releasedBefore = 0;
        for (int line = 1; line <= lines.lines().size(); line++) {
            Revalidation.Checked checked = zone.revalidation().entry(target, lines.lines().get(line - 1));
            String identity = ReleaseMarkers.identity(checked);
            if (earlier.contains(line, identity)) {
                releasedBefore++;
            } else if (checked.verdict() == Revalidation.Verdict.VALID) {
                records.add(checked.record());
                identities.add(identity);
                checked.position().ifPresent(positions::add);
            } else {
                stillQuarantined++;
            }
        }
        String output = key.released(version);
        int in = lines.lines().size();
        Counts counts = new Counts(in, records.size(), stillQuarantined, releasedBefore, 0);
        String others = stillQuarantined + " stay quarantined" + (releasedBefore == 0 ? ""
                : ", " + releasedBefore + " released before");
        if (run.dryRun()) {
            return new UnitResult(item, UnitStatus.PLANNED, "would read " + key.key() + " (" + in + " entries), write "
                    + output + " (" + records.size() + " released), " + others, counts, List.of(key.key()), List.of(),
                    lines.storedBytes());
        }
        if (records.isEmpty()) {
            // the marker, naming nothing, still finishes the claim: a release into another version waits for it
            List<String> written = zone.derived().mark(key.releaseMarker(version), marker(key, version,
                    Optional.empty(), List.of(), List.of(), run), run) == PutOutcome.CREATED
                    ? List.of(key.releaseMarker(version)) : List.of();
            return new UnitResult(item, written.isEmpty() ? UnitStatus.ALREADY_DONE : UnitStatus.DONE,
                    "nothing to release into v" + version + ": " + others, counts, List.of(key.key()), written,
                    lines.storedBytes());
        }
        DerivedParts.Outcome outcome = zone.derived().publish(output, records, new DerivedParts.Derivation(part, key.dataset(),
                zone.catalogue().schema(key.dataset(), version).schemaId(), version,
                positions.stream().min(Comparator.naturalOrder()).orElseGet(part::first),
                positions.stream().max(Comparator.naturalOrder()).orElseGet(part::last), Optional.empty()), run);
        if (outcome.published() == DerivedParts.Published.CONFLICT) {
            return new UnitResult(item, UnitStatus.DIFFERS, outcome.detail(), Counts.ZERO, List.of(key.key()),
                    List.of(), lines.storedBytes());
        }
        boolean created = outcome.published() == DerivedParts.Published.CREATED;
        if (!created) {
            counts = new Counts(in, 0, stillQuarantined, releasedBefore + records.size(), 0);
        }
        List<String> written = new ArrayList<>();
        if (created) {
            written.add(output);
        }
        if (zone.derived().mark(key.releaseMarker(version), marker(key, version, Optional.of(output), identities,
                positions, run), run) == PutOutcome.CREATED) {
            written.add(key.releaseMarker(version));
        }
        return new UnitResult(item, written.isEmpty() ? UnitStatus.ALREADY_DONE : UnitStatus.DONE, records.size()
                + " released into " + output + ", " + others, counts, List.of(key.key()), written, lines.storedBytes());
    }

    /** @param output the released part, none when the release found nothing to release */
    private ObjectNode marker(PartKey key, int version, Optional<String> output, List<String> identities,
                              List<Position> positions, ReplayRun run) {
        ObjectNode marker = zone.mapper().createObjectNode();
        marker.put("quarantine_part", key.key());
        marker.put("schema_version", version);
        output.ifPresent(target -> marker.put("target", target));
        ArrayNode released = marker.putArray(ReleaseMarkers.RELEASED);
        identities.forEach(released::add);
        ArrayNode sourcePositions = marker.putArray(ReleaseMarkers.POSITIONS);
        positions.forEach(position -> sourcePositions.add(position.toString()));
        marker.put("replay_run", run.runId());
        return marker;
    }
}
