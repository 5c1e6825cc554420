package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.replay.rederive.ReleaseMarkers;
import dev.rawzone.core.replay.rederive.Revalidation;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.Reconciliation;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.audit.StoredRecord;
import dev.rawzone.simulation.audit.ZoneSnapshot;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw zone after replays, per generation and across. Generation v1 is what ingest wrote (raw
 * {@code schema=v1}, the original quarantine parts); generation v2 is raw {@code schema=v2} (rebuilt and released
 * parts) and the rebuild's quarantine {@code rebuild-v2/}. In v1 every record is stored exactly once; in v2 every
 * record once after a rebuild (where v2's verdict puts it), and after a release alone only the released ones;
 * every released record's quarantine entry is named by exactly one release marker; nothing written before the
 * replays changed, and everything written since names its replay run.
 */
final class ReplayAudit {
    private static final Pattern DATA = Pattern.compile("raw/([^/]+)/([^/]+)/schema=v([0-9]+)/dt=([^/]+)/(released/)?(.+)");
    private static final Pattern REBUILD_QUARANTINE = Pattern.compile("quarantine/[^/]+/[^/]+/dt=[^/]+/rebuild-v([0-9]+)/.+");
    private static final Pattern MARKER_SUFFIX = Pattern.compile("\\.released-v[0-9]+\\.json$");

    /** How one record fares under the revised schema. */
    enum Verdict { VALID, INVALID, UNREADABLE }

    /** Where a record is stored within a generation. */
    enum Place { WRITTEN, RELEASED, QUARANTINED }

    /** One stored record: its generation, place, and line (from 1) in its part. */
    record Stored(int generation, Place place, StoredRecord record, int line) {
    }

    /** What the scenario sent and which replays ran. */
    static final class Expectations {
        private final Map<String, RecordTexts.Kind> ingested = new LinkedHashMap<>();
        private final Map<String, Verdict> revised = new HashMap<>();
        private final Set<ReplayRuns.Step> ran = EnumSet.noneOf(ReplayRuns.Step.class);
        private final Set<String> outside = new HashSet<>();

        void sent(String id, RecordTexts.Kind kind, String text) {
            ingested.put(id, kind);
            revised.put(id, verdictUnderRevised(text));
        }

        /** A record of another source than the release selects (the rebuild selects every source). */
        void outsideRelease(String id, RecordTexts.Kind kind, String text) {
            sent(id, kind, text);
            outside.add(id);
        }

        void ran(ReplayRuns.Step step) {
            ran.add(step);
        }

        /** Refused by v1 for its content and valid under v2: what a release puts into v2. */
        boolean releasable(String id) {
            return ingested.get(id) == RecordTexts.Kind.INVALID && revised.get(id) == Verdict.VALID;
        }

        boolean inRevisedGeneration(String id) {
            return ran.contains(ReplayRuns.Step.REBUILD)
                    || !outside.contains(id) && ran.contains(ReplayRuns.Step.RELEASE) && releasable(id);
        }
    }

    private ReplayAudit() {
    }

    /** The records against what was sent, per generation; fills the result's counts. */
    static void check(SourceRecords source, Expectations expected, RawZoneAudit audit, ScenarioResult result) {
        result.violations.addAll(audit.problems());
        List<Stored> stored = classify(audit.records());
        Map<Integer, List<StoredRecord>> generations = new HashMap<>();
        for (Stored record : stored) {
            generations.computeIfAbsent(record.generation(), g -> new ArrayList<>()).add(record.record());
            if (record.place() == Place.QUARANTINED) {
                result.quarantined++;
            } else {
                result.written++;
            }
        }
        tally("generation v1", Reconciliation.of(source, generations.getOrDefault(1, List.of())), result);
        SourceRecords revised = new SourceRecords();
        source.all().values().forEach(sent -> {
            if (expected.inRevisedGeneration(sent.id())) {
                revised.mustLand(sent.id(), sent.bytes().orElse(null));
            } else {
                revised.mayLand(sent.id(), sent.bytes().orElse(null));
            }
        });
        tally("generation v" + ReplaySimulation.REVISED_VERSION, Reconciliation.of(revised,
                generations.getOrDefault(ReplaySimulation.REVISED_VERSION, List.of())), result);
        for (Stored record : stored) {
            if (record.generation() == ReplaySimulation.REVISED_VERSION) {
                checkPlace(record, expected, source, result);
            } else if (record.generation() != 1) {
                result.violations.add("a generation no replay wrote: " + record.record().where());
            }
        }
        checkMarkers(stored, audit.releaseMarkers(), source, result);
    }

    /** Nothing there before the replays changed; each key written since names its replay run. */
    static void checkUntouched(ZoneSnapshot before, ZoneSnapshot after, S3Client s3, String bucket,
                               ScenarioResult result) {
        after.changedSince(before).forEach(change -> result.violations.add("changed by a replay: " + change));
        for (String key : after.addedSince(before)) {
            Map<String, String> metadata = s3.headObject(h -> h.bucket(bucket).key(key)).metadata();
            if (!metadata.containsKey("replay-run")) {
                result.violations.add("written by a replay without replay-run in its lineage: " + key + " " + metadata);
            }
        }
    }

    private static void tally(String generation, Reconciliation reconciliation, ScenarioResult result) {
        result.lost += reconciliation.lost().size();
        result.duplicated += reconciliation.duplicated().size();
        reconciliation.lost().forEach(id -> result.violations.add(generation + ": lost " + id));
        reconciliation.duplicated().forEach(id -> result.violations.add(generation + ": duplicated " + id));
        reconciliation.violations().forEach(v -> result.violations.add(generation + ": " + v));
    }

    private static void checkPlace(Stored record, Expectations expected, SourceRecords source, ScenarioResult result) {
        String text = new String(record.record().line(), StandardCharsets.UTF_8);
        String id = source.identify(text).orElse(null);
        if (id == null || !expected.revised.containsKey(id)) {
            return;
        }
        if (!expected.inRevisedGeneration(id)) {
            result.violations.add(id + " is in generation v2 though no replay should put it there: "
                    + record.record().where());
            return;
        }
        boolean valid = expected.revised.get(id) == Verdict.VALID;
        if (valid == (record.place() == Place.QUARANTINED)) {
            result.violations.add(id + " is " + expected.revised.get(id) + " under v2 but " + record.place() + " in "
                    + record.record().where());
        }
        if (record.place() == Place.RELEASED && !expected.releasable(id)) {
            result.violations.add(id + " was released but was not quarantined for its content: "
                    + record.record().where());
        }
    }

    /**
     * Every released record's entry (by its position in the quarantine part its released part derives from) is
     * named by exactly one release marker of that part, and the markers list no entry whose record was not released.
     */
    private static void checkMarkers(List<Stored> stored, Map<String, byte[]> markers, SourceRecords source,
                                     ScenarioResult result) {
        Map<String, Map<String, Integer>> listed = new HashMap<>();
        markers.forEach((key, body) -> {
            String part = MARKER_SUFFIX.matcher(key).replaceFirst("");
            Map<String, Integer> named = listed.computeIfAbsent(part, p -> new HashMap<>());
            json(body).path(ReleaseMarkers.RELEASED).forEach(entry -> named.merge(entry.asText(), 1, Integer::sum));
        });
        Map<String, Stored> entries = new HashMap<>();
        for (Stored record : stored) {
            if (record.generation() == 1 && record.place() == Place.QUARANTINED) {
                entries.put(idOf(record, source), record);
            }
        }
        int released = 0;
        for (Stored record : stored) {
            if (record.place() != Place.RELEASED) {
                continue;
            }
            released++;
            String id = idOf(record, source);
            Stored entry = entries.get(id);
            if (entry == null) {
                result.violations.add(id + " was released from no quarantine entry: " + record.record().where());
                continue;
            }
            String identity = Revalidation.position(json(entry.record().line())).map(Object::toString).orElse("?");
            int markedBy = listed.getOrDefault(entry.record().key(), Map.of()).getOrDefault(identity, 0);
            if (markedBy != 1) {
                result.violations.add(id + " released into " + record.record().key() + ": its entry (position "
                        + identity + ", line " + entry.line() + " of " + entry.record().key() + ") is named by "
                        + markedBy + " release markers, not one");
            }
        }
        int marked = listed.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
        if (marked != released) {
            result.violations.add("release markers name " + marked + " entries, " + released
                    + " records are in released parts");
        }
    }

    private static List<Stored> classify(List<StoredRecord> records) {
        List<Stored> stored = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        for (StoredRecord record : records) {
            if (PullDeadLetter.audited(record.key())) {
                continue;
            }
            int line = lines.merge(record.key() + "@" + record.versionId(), 1, Integer::sum);
            Matcher data = DATA.matcher(record.key());
            Matcher rebuilt = REBUILD_QUARANTINE.matcher(record.key());
            if (data.matches()) {
                stored.add(new Stored(Integer.parseInt(data.group(3)),
                        data.group(5) == null ? Place.WRITTEN : Place.RELEASED, record, line));
            } else if (rebuilt.matches()) {
                stored.add(new Stored(Integer.parseInt(rebuilt.group(1)), Place.QUARANTINED, record, line));
            } else {
                stored.add(new Stored(1, Place.QUARANTINED, record, line));
            }
        }
        return stored;
    }

    static Verdict verdictUnderRevised(String text) {
        JsonNode record;
        try {
            record = S3Simulation.MAPPER.readTree(text);
        } catch (IOException e) {
            return Verdict.UNREADABLE;
        }
        JsonNode n = record.get("n");
        JsonNode k = record.get("k");
        boolean nFits = n != null && (n.isNumber() || n.isTextual());
        boolean kFits = k == null || k.isIntegralNumber() && k.asLong() <= 500;
        return nFits && kFits ? Verdict.VALID : Verdict.INVALID;
    }

    private static String idOf(Stored record, SourceRecords source) {
        return source.identify(new String(record.record().line(), StandardCharsets.UTF_8)).orElse("?");
    }

    private static JsonNode json(byte[] body) {
        try {
            return S3Simulation.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("a release marker or quarantine entry is not JSON", e);
        }
    }
}
