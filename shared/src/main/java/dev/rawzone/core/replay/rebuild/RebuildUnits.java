package dev.rawzone.core.replay.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.accounting.Tally;
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
import dev.rawzone.core.replay.rederive.ReleaseMarkers;
import dev.rawzone.core.replay.rederive.Revalidation;
import dev.rawzone.core.replay.rederive.StoredPart;
import dev.rawzone.core.replay.rederive.TargetVersion;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The rebuild mode: each original part of the selection (raw/ data parts and live quarantine parts) re-derived
 * through today's routing and validation into generation v<T>: its valid records, byte for byte, to
 * {@code raw/<source>/<dataset>/schema=v<T>/dt=<dt>/<name>}, the ones v<T> refuses to
 * {@code quarantine/<source>/<dataset>/dt=<dt>/rebuild-v<T>/<name>}, then the unit marker. Earlier generations are
 * only read. Records a quarantine release already put into v<T> are not derived a second time.
 */
public final class RebuildUnits implements ReplayUnits {
    public static final String PART = "part";
    public static final String QUARANTINE_PART = "quarantine-part";

    private final ConditionalSink raw;
    private final InputParts inputs;
    private final TargetVersion versions;
    private final LandingRoute routes;
    private final Revalidation revalidation;
    private final DerivedParts derived;
    private final ReleaseMarkers releases;
    private final SchemaCatalogue catalogue;
    private final ObjectMapper mapper;

    public RebuildUnits(ConditionalSink raw, SchemaCatalogue catalogue, Routing routing, ObjectMapper mapper) {
        this.raw = raw;
        this.catalogue = catalogue;
        this.mapper = mapper;
        this.inputs = new InputParts(raw, mapper);
        this.versions = new TargetVersion(catalogue);
        this.routes = new LandingRoute(raw, routing, mapper);
        this.revalidation = new Revalidation(new RecordValidator(catalogue), mapper);
        this.derived = new DerivedParts(raw, mapper);
        this.releases = new ReleaseMarkers(raw, derived);
    }

    /**
     * One unit per original: a data part's name in its lowest generation (the one ingest wrote; higher ones are
     * earlier rebuilds of it), unless that is already v<T> or above; and each live quarantine part.
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
        return items;
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
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
        return rebuild(item, input, route, version, run);
    }

    private UnitResult rebuild(ReplayItem item, StoredPart input, LandingRoute.Decision route, int version,
                               ReplayRun run) {
        PartKey key = input.key();
        StoredPart.Lines lines = input.read(raw);
        Revalidation.Target target = new Revalidation.Target(key.key(), input.identity().uri(), route.dataset(), version);
        Set<Integer> released = key.isQuarantine() ? releases.releasedTo(key, version) : Set.of();
        List<byte[]> valid = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        List<byte[]> rejects = new ArrayList<>();
        for (int line = 1; line <= lines.lines().size(); line++) {
            if (released.contains(line)) {
                continue;
            }
            byte[] text = lines.lines().get(line - 1);
            Revalidation.Checked checked = key.isQuarantine() ? revalidation.entry(target, text)
                    : revalidation.record(target, line, text);
            if (checked.verdict() == Revalidation.Verdict.VALID) {
                valid.add(checked.record());
                checked.position().ifPresent(positions::add);
            } else {
                rejects.add(checked.entry());
            }
        }
        String output = key.rebuilt(route.dataset(), version);
        String quarantine = key.rebuildQuarantine(route.dataset(), version);
        String note = route.note().map(n -> "; " + n).orElse("");
        int in = lines.lines().size();
        if (run.dryRun()) {
            return new UnitResult(item, UnitStatus.PLANNED, "would read " + key.key() + " (" + in + " records), write "
                    + output + " (" + valid.size() + ") and " + quarantine + " (" + rejects.size() + " quarantined)"
                    + (released.isEmpty() ? "" : ", " + released.size() + " already released into v" + version) + note,
                    new Counts(in, valid.size(), rejects.size(), released.size(), 0), List.of(key.key()), List.of(),
                    lines.storedBytes());
        }
        Optional<Integer> supersedes = Optional.of(key.version().orElseGet(input::schemaVersion));
        List<String> written = new ArrayList<>();
        Tally tally = new Tally();
        tally.in(in);
        tally.duplicates(released.size());
        if (!valid.isEmpty()) {
            Position first = positions.stream().min(Comparator.naturalOrder()).orElseGet(input::first);
            Position last = positions.stream().max(Comparator.naturalOrder()).orElseGet(input::last);
            Optional<UnitResult> conflict = publish(item, output, valid, new DerivedParts.Derivation(input,
                    route.dataset(), catalogue.schema(route.dataset(), version).schemaId(), version, first, last,
                    supersedes.map(PartKey::generation)), run, tally::written, tally, written, lines.storedBytes());
            if (conflict.isPresent()) {
                return conflict.get();
            }
        }
        if (!rejects.isEmpty()) {
            Optional<UnitResult> conflict = publish(item, quarantine, rejects, new DerivedParts.Derivation(input,
                    route.dataset(), "quarantine", version, input.first(), input.last(),
                    supersedes.map(PartKey::generation)), run, tally::quarantined, tally, written, lines.storedBytes());
            if (conflict.isPresent()) {
                return conflict.get();
            }
        }
        Counts counts = tally.counts();
        long duplicates = counts.duplicates();
        derived.mark(key.rebuildMarker(version), marker(key, route.dataset(), version, valid, rejects, output,
                quarantine, counts, run), run);
        written.add(key.rebuildMarker(version));
        return new UnitResult(item, UnitStatus.DONE, valid.size() + " records into " + output + ", " + rejects.size()
                + " into " + quarantine + (duplicates > 0 ? ", " + duplicates + " there already" : "") + note, counts,
                List.of(key.key()), written, lines.storedBytes());
    }

    private ObjectNode marker(PartKey key, String dataset, int version, List<byte[]> valid, List<byte[]> rejects,
                              String output, String quarantine, Counts counts, ReplayRun run) {
        ObjectNode marker = mapper.createObjectNode();
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
        marker.set("counts", mapper.valueToTree(counts.asMap()));
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
        DerivedParts.Outcome outcome = derived.publish(key, lines, derivation, run);
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
