package dev.rawzone.core.replay;

import dev.rawzone.core.observe.CorrelationId;
import dev.rawzone.core.pull.TimeBudget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a replay in one process: plans the units, runs them in order while the time budget lasts (the rest are
 * {@link UnitStatus#NOT_REACHED}: a re-run continues there), runs the mode's cross-unit checks, and records the run
 * in its manifest. The Step Functions Distributed Map runs the same units, one invocation each ({@link #runOne}),
 * and then {@link #conclude}s the run the same way.
 */
public final class ReplayEngine {
    /** A unit is not started with less time than this left: one part or one queue batch fits in it. */
    static final Duration UNIT_RESERVE = Duration.ofSeconds(30);

    private final ReplayUnits units;
    private final ReplayManifests manifests;

    public ReplayEngine(ReplayUnits units, ReplayManifests manifests) {
        this.units = units;
        this.manifests = manifests;
    }

    public List<ReplayItem> plan(ReplaySelection selection) {
        return units.plan(selection);
    }

    public ReplayReport run(ReplaySelection selection, ReplayRun run, TimeBudget budget, ReplayProgress progress) {
        List<ReplayItem> items = units.plan(selection);
        progress.started(items.size());
        List<UnitResult> results = new ArrayList<>(items.size());
        for (ReplayItem item : items) {
            UnitResult result = budget.allows(UNIT_RESERVE)
                    ? runOne(item, run)
                    : UnitResult.of(item, UnitStatus.NOT_REACHED, "the run's time ran out first; re-run to continue");
            results.add(result);
            progress.unitDone(result);
        }
        return conclude(selection, run, results);
    }

    /**
     * The end of a run whose units ran elsewhere too (the Step Functions map, one invocation each): the mode's
     * cross-unit checks over every unit's result, in plan order, and the run's manifest.
     */
    public ReplayReport conclude(ReplaySelection selection, ReplayRun run, List<UnitResult> unitResults) {
        List<UnitResult> results = new ArrayList<>(unitResults);
        results.addAll(units.conclude(unitResults));
        ReplayReport report = new ReplayReport(run, selection, results);
        return run.dryRun() ? report : report.withManifest(manifests.write(report));
    }

    /** One unit; an unexpected error fails this unit only, with its message, and the run goes on. */
    public UnitResult runOne(ReplayItem item, ReplayRun run) {
        try (CorrelationId ignored = CorrelationId.of("replay://" + run.runId() + "/" + item.kind() + "/" + item.key())) {
            return units.run(item, run);
        } catch (RuntimeException e) {
            return UnitResult.of(item, UnitStatus.FAILED, String.valueOf(e));
        }
    }
}
