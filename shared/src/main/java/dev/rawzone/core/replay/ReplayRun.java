package dev.rawzone.core.replay;

import dev.rawzone.core.pipeline.RunContext;

/**
 * One replay run: its id (named in the lineage of everything it writes and in its manifest), its mode, whether it
 * only says what it would do, and the pipeline's run context, marked as this replay.
 *
 * @param runId the replay run's id: given by the caller (the Step Functions execution name, the CLI's
 *              {@code --run-id}) so that every unit of one run names the same run; a re-run under the same id
 *              continues it
 */
public record ReplayRun(String runId, ReplayMode mode, boolean dryRun, RunContext context) {

    public static ReplayRun of(String runId, ReplayMode mode, boolean dryRun, String pipelineVersion) {
        return new ReplayRun(runId, mode, dryRun,
                new RunContext(pipelineVersion, runId).replaying(runId, mode.label()));
    }
}
