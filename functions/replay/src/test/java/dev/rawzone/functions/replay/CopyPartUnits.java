package dev.rawzone.functions.replay;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.replay.ReplayUnits;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replay mode for the handler's tests, over the real raw zone: one unit per data part of the selection; a unit
 * checks the part's bytes against its lineage's content-sha256 (DIFFERS when they disagree) and copies it, with the
 * run's marks, to {@code manifests/replay/copies/<run id>/<part key>} once.
 */
final class CopyPartUnits implements ReplayUnits {
    static final String PART = "part";

    private final ConditionalSink raw;

    CopyPartUnits(ConditionalSink raw) {
        this.raw = raw;
    }

    /** As the handler builds modes: every mode is this one. */
    static ReplayModes modes() {
        return (mode, wiring, budget) -> new CopyPartUnits(wiring.raw());
    }

    static String copyKey(String runId, String partKey) {
        return "manifests/replay/copies/" + runId + "/" + partKey;
    }

    @Override
    public List<ReplayItem> plan(ReplaySelection selection) {
        return raw.keys(selection.prefix("raw")).stream().filter(selection::includes).sorted()
                .map(key -> new ReplayItem(PART, key)).toList();
    }

    @Override
    public UnitResult run(ReplayItem item, ReplayRun run) {
        Map<String, String> lineage = raw.metadata(item.key())
                .orElseThrow(() -> new IllegalStateException("no part " + item.key()));
        byte[] body = raw.read(item.key()).orElseThrow(() -> new IllegalStateException("no part " + item.key()));
        long records = Long.parseLong(lineage.get("record-count"));
        String target = copyKey(run.runId(), item.key());
        if (!KeyParts.sha256Hex(body).equals(lineage.get("content-sha256"))) {
            return new UnitResult(item, UnitStatus.DIFFERS, "content-sha256 differs from the lineage's",
                    new Counts(records, 0, 0, 0, 0), List.of(item.key()), List.of(), body.length);
        }
        if (run.dryRun()) {
            return new UnitResult(item, UnitStatus.PLANNED, "would copy to " + target,
                    new Counts(records, 0, 0, 0, 0), List.of(item.key()), List.of(), body.length);
        }
        Map<String, String> metadata = new HashMap<>(lineage);
        metadata.putAll(run.context().marks());
        boolean created = raw.putIfAbsent(target, body, metadata) == PutOutcome.CREATED;
        return new UnitResult(item, created ? UnitStatus.DONE : UnitStatus.ALREADY_DONE, created ? "" : "copied before",
                new Counts(records, created ? records : 0, 0, created ? 0 : records, 0), List.of(item.key()),
                created ? List.of(target) : List.of(), body.length);
    }
}
