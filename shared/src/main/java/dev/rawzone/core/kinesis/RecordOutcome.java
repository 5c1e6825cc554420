package dev.rawzone.core.kinesis;

/** What became of one user record in one invocation (DESIGN.md section 1). */
public enum RecordOutcome {
    WRITTEN,
    QUARANTINED,
    /** Already settled: at or below the shard's ledger, covered by a durable part, or delivered twice in a batch. */
    DUPLICATE,
    /** Not settled; Lambda re-delivers it (the shard's batch item failure is at or before it). */
    FAILED
}
