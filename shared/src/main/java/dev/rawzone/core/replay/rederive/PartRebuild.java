package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.accounting.Tally;
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
import java.util.function.LongConsumer;

/**
 * The rebuild of one original part into generation v<T> of a dataset: its records v<T> accepts, byte for byte, to
 * {@link PartKey#rebuilt}, the ones it refuses to {@link PartKey#rebuildQuarantine}, then the unit marker
 * ({@link PartKey#rebuildMarker}; for a quarantine part it lists the positions it re-derived). Entries of a
 * quarantine part that a release put into v<T> are left out. The rebuild runs it; a quarantine release runs it to
 * complete a rebuild that claimed a quarantine part and stopped.
 */
public final class PartRebuild {
    /** In the marker: how many of the input's lines the version refuses (quarantined by this or an earlier run). */
    public static final String REFUSED = "refused";

    private final Rederiving zone;

    public PartRebuild(Rederiving zone) {
        this.zone = zone;
    }

    /** @param note said in the unit's detail (why the dataset is not the part's own), or empty */
    public UnitResult rebuild(ReplayItem item, StoredPart input, String dataset, int version, String note,
                              ReplayRun run) {
        PartKey key = input.key();
        StoredPart.Lines lines = input.read(zone.raw());
        Revalidation.Target target = new Revalidation.Target(key.key(), input.identity().uri(), dataset, version);
        ReleaseMarkers.Released released = key.isQuarantine() ? zone.releases().releasedTo(key, version)
                : ReleaseMarkers.Released.NONE;
        List<byte[]> valid = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        List<byte[]> rejects = new ArrayList<>();
        long releasedCount = 0;
        for (int line = 1; line <= lines.lines().size(); line++) {
            byte[] text = lines.lines().get(line - 1);
            Revalidation.Checked checked = key.isQuarantine() ? zone.revalidation().entry(target, text)
                    : zone.revalidation().record(target, line, text);
            if (key.isQuarantine() && released.contains(line, ReleaseMarkers.identity(checked))) {
                releasedCount++;
            } else if (checked.verdict() == Revalidation.Verdict.VALID) {
                valid.add(checked.record());
                checked.position().ifPresent(positions::add);
            } else {
                rejects.add(checked.entry());
            }
        }
        String output = key.rebuilt(dataset, version);
        String quarantine = key.rebuildQuarantine(dataset, version);
        int in = lines.lines().size();
        if (run.dryRun()) {
            return new UnitResult(item, UnitStatus.PLANNED, "would read " + key.key() + " (" + in + " records), write "
                    + output + " (" + valid.size() + ") and " + quarantine + " (" + rejects.size() + " quarantined)"
                    + (releasedCount == 0 ? "" : ", " + releasedCount + " already released into v" + version) + note,
                    new Counts(in, valid.size(), rejects.size(), releasedCount, 0), List.of(key.key()), List.of(),
                    lines.storedBytes());
        }
        Optional<String> supersedes = Optional.of(PartKey.generation(key.version().orElseGet(input::schemaVersion)));
        List<String> written = new ArrayList<>();
        Tally tally = new Tally();
        tally.in(in);
        tally.duplicates(releasedCount);
        if (!valid.isEmpty()) {
            Position first = positions.stream().min(Comparator.naturalOrder()).orElseGet(input::first);
            Position last = positions.stream().max(Comparator.naturalOrder()).orElseGet(input::last);
            Optional<UnitResult> conflict = publish(item, output, valid, new DerivedParts.Derivation(input, dataset,
                    zone.catalogue().schema(dataset, version).schemaId(), version, first, last, supersedes), run,
                    tally::written, tally, written, lines.storedBytes());
            if (conflict.isPresent()) {
                return conflict.get();
            }
        }
        if (!rejects.isEmpty()) {
            Optional<UnitResult> conflict = publish(item, quarantine, rejects, new DerivedParts.Derivation(input,
                    dataset, "quarantine", version, input.first(), input.last(), supersedes), run, tally::quarantined,
                    tally, written, lines.storedBytes());
            if (conflict.isPresent()) {
                return conflict.get();
            }
        }
        Counts counts = tally.counts();
        long duplicates = counts.duplicates();
        if (zone.derived().mark(key.rebuildMarker(version), marker(key, dataset, version, valid, rejects, positions, output,
                quarantine, counts, run), run) == PutOutcome.CREATED) {
            written.add(key.rebuildMarker(version));
        }
        return new UnitResult(item, written.isEmpty() ? UnitStatus.ALREADY_DONE : UnitStatus.DONE, valid.size() + " records into " + output + ", " + rejects.size()
                + " into " + quarantine + (duplicates > 0 ? ", " + duplicates + " there already" : "") + note, counts,
                List.of(key.key()), written, lines.storedBytes());
    }

    private ObjectNode marker(PartKey key, String dataset, int version, List<byte[]> valid, List<byte[]> rejects,
                              List<Position> positions, String output, String quarantine, Counts counts,
                              ReplayRun run) {
        ObjectNode marker = zone.mapper().createObjectNode();
        marker.put("input", key.key());
        marker.put("dataset", dataset);
        marker.put("schema_version", version);
        ObjectNode outputs = marker.putObject("outputs");
        if (!valid.isEmpty()) {
            outputs.put("data", output);
        }
        if (!rejects.isEmpty()) {
            outputs.put("quarantine", quarantine);
        }
        if (key.isQuarantine()) {
            ArrayNode rederived = marker.putArray(ReleaseMarkers.POSITIONS);
            positions.forEach(position -> rederived.add(position.toString()));
        }
        marker.put(REFUSED, rejects.size());
        marker.set("counts", zone.mapper().valueToTree(counts.asMap()));
        marker.put("replay_run", run.runId());
        return marker;
    }

    /**
     * Publishes one derived part and counts its lines: as {@code created} when this run wrote it, as duplicates
     * when an earlier or concurrent run did; a key taken by anything else ends the unit as DIFFERS.
     */
    private Optional<UnitResult> publish(ReplayItem item, String key, List<byte[]> lines,
                                         DerivedParts.Derivation derivation, ReplayRun run, LongConsumer created,
                                         Tally tally, List<String> written, long bytesRead) {
        DerivedParts.Outcome outcome = zone.derived().publish(key, lines, derivation, run);
        switch (outcome.published()) {
            case CONFLICT -> {
                return Optional.of(new UnitResult(item, UnitStatus.DIFFERS, outcome.detail(), Counts.ZERO,
                        List.of(item.key()), List.of(), bytesRead));
            }
            case CREATED -> {
                written.add(key);
                created.accept(lines.size());
            }
            case ALREADY_THERE -> tally.duplicates(lines.size());
        }
        return Optional.empty();
    }
}
