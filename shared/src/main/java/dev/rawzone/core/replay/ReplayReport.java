package dev.rawzone.core.replay;

import dev.rawzone.core.accounting.Counts;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a replay run did: one result per unit, in plan order, then any cross-unit problems.
 *
 * @param manifest the key of the run's manifest, once written (none on a dry run)
 */
public record ReplayReport(ReplayRun run, ReplaySelection selection, List<UnitResult> results,
                           Optional<String> manifest) {
    public ReplayReport {
        results = List.copyOf(results);
    }

    public ReplayReport(ReplayRun run, ReplaySelection selection, List<UnitResult> results) {
        this(run, selection, results, Optional.empty());
    }

    public ReplayReport withManifest(String key) {
        return new ReplayReport(run, selection, results, Optional.of(key));
    }

    public Counts totals() {
        return results.stream().map(UnitResult::counts).reduce(Counts.ZERO, Counts::plus);
    }

    public Map<UnitStatus, Integer> byStatus() {
        Map<UnitStatus, Integer> counts = new EnumMap<>(UnitStatus.class);
        results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
        return counts;
    }

    public List<UnitResult> problems() {
        return results.stream().filter(result -> result.status().isProblem()).toList();
    }

    /** Whether some units were left for a re-run because the time ran out. */
    public boolean stoppedEarly() {
        return results.stream().anyMatch(result -> result.status() == UnitStatus.NOT_REACHED);
    }

    /** 0 when every unit is fine and done, 1 otherwise (a problem, or units left for a re-run). */
    public int exitCode() {
        return problems().isEmpty() && !stoppedEarly() ? 0 : 1;
    }
}
