package dev.rawzone.simulation;

import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.Reconciliation;
import dev.rawzone.simulation.audit.SourceRecords;

import java.util.ArrayList;
import java.util.List;

/**
 * What one seeded scenario came to: the records its source sent, what the raw zone holds of them, what the
 * invocations reported, and every invariant that did not hold.
 */
final class ScenarioResult {
    final String source;
    final long seed;
    String description = "";
    long recordsIn;
    long written;
    long quarantined;
    long duplicatesSkipped;
    long failedThenRetried;
    /** Invocations that stopped before an object's end and handed it on (S3 continuations). */
    long continued;
    int lost;
    int duplicated;
    long millis;
    final List<String> violations = new ArrayList<>();
    /** Ranges the scenario declared lost at the source, as the redrive reported them (not counted as lost). */
    final List<String> lostAtSource = new ArrayList<>();

    ScenarioResult(String source, long seed) {
        this.source = source;
        this.seed = seed;
    }

    /** The scenario is over: what happened in it, and the raw zone held against what its source sent. */
    void settle(List<String> story, SourceRecords sent, RawZoneAudit audit, long startedNanos) {
        description = String.join("; ", story);
        Reconciliation reconciliation = Reconciliation.of(sent, audit);
        recordsIn = sent.size();
        written = reconciliation.written();
        quarantined = reconciliation.quarantined();
        lost = reconciliation.lost().size();
        duplicated = reconciliation.duplicated().size();
        reconciliation.lost().forEach(id -> violations.add("lost: " + id));
        reconciliation.duplicated().forEach(id -> violations.add("duplicated: " + id));
        violations.addAll(reconciliation.violations());
        millis = (System.nanoTime() - startedNanos) / 1_000_000;
    }

    boolean passed() {
        return violations.isEmpty();
    }

    String rerun() {
        return "./ingest simulate --source " + source + " --seed " + seed;
    }
}
