package dev.rawzone.simulation;

import dev.rawzone.simulation.audit.Reconciliation;

import java.util.ArrayList;
import java.util.List;

/**
 * What one seeded scenario came to: the records its source sent, what the raw zone holds of them, what the
 * invocations reported, and every invariant that did not hold.
 */
final class ScenarioResult {
    final String source;
    final long seed;
    final String description;
    long recordsIn;
    long written;
    long quarantined;
    long duplicatesSkipped;
    long failedThenRetried;
    int lost;
    int duplicated;
    long millis;
    final List<String> violations = new ArrayList<>();

    ScenarioResult(String source, long seed, String description) {
        this.source = source;
        this.seed = seed;
        this.description = description;
    }

    void reconciled(long sent, Reconciliation reconciliation) {
        recordsIn = sent;
        written = reconciliation.written();
        quarantined = reconciliation.quarantined();
        lost = reconciliation.lost().size();
        duplicated = reconciliation.duplicated().size();
        reconciliation.lost().forEach(id -> violations.add("lost: " + id));
        reconciliation.duplicated().forEach(id -> violations.add("duplicated: " + id));
        violations.addAll(reconciliation.violations());
    }

    boolean passed() {
        return violations.isEmpty();
    }

    String rerun() {
        return "./ingest simulate --source " + source + " --seed " + seed;
    }
}
