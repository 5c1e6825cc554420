package dev.rawzone.core.replay;

/** How one replay unit ended. The first four are problems: the run reports them and exits 1. */
public enum UnitStatus {
    /** Verify: stored content differs from its lineage, its manifest or its source (the detail says how). */
    DIFFERS(true),
    /** Verify: an object a manifest or a lineage names is not there. */
    MISSING(true),
    /** Redrive: records the source no longer holds (a trimmed Kinesis range), reported with their exact range. */
    LOST(true),
    /** The unit could not be done now; a re-run retries it. */
    FAILED(true),
    /** Verify: everything checked agrees. */
    OK(false),
    /** Something was written (records, a release marker) or a failure message settled and deleted. */
    DONE(false),
    /** Nothing to do: an earlier or concurrent run already did it, or there is nothing in scope. */
    ALREADY_DONE(false),
    /** Dry run: what would be read and written, with counts; nothing touched. */
    PLANNED(false),
    /** Not started: the run's time ran out first (a re-run continues from here). */
    NOT_REACHED(false);

    private final boolean problem;

    UnitStatus(boolean problem) {
        this.problem = problem;
    }

    public boolean isProblem() {
        return problem;
    }
}
