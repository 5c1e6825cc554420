package dev.rawzone.core.replay;

import java.util.List;

/**
 * One replay mode's work, split into units: {@link #plan} lists them (the Distributed Map's items), {@link #run}
 * does one. A unit is idempotent: run twice, or by two workers at once, it writes each record once, and a unit an
 * earlier run finished costs a lookup, not a re-read.
 */
public interface ReplayUnits {

    /** The units the selection covers, in a stable order. Reads listings only. */
    List<ReplayItem> plan(ReplaySelection selection);

    /** Does one unit (or, on a dry run, says what it would read and write, touching nothing). */
    UnitResult run(ReplayItem item, ReplayRun run);

    /**
     * Checks that span units, once every unit has run (verify: no source position in two parts). Returns one result
     * per problem found; none when there is nothing to check across units.
     */
    default List<UnitResult> conclude(List<UnitResult> results) {
        return List.of();
    }
}
