package dev.rawzone.core.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is writing: the pipeline's version, this invocation's run id (the Lambda request id) and, for a replay, the
 * marks every object it writes carries in its lineage ({@code replay-run}, {@code replay-mode}), as EventBridge
 * marks a replayed event with its {@code replay-name}.
 */
public record RunContext(String pipelineVersion, String runId, Map<String, String> marks) {
    public static final String REPLAY_RUN = "replay-run";
    public static final String REPLAY_MODE = "replay-mode";

    public RunContext {
        marks = Map.copyOf(marks);
    }

    public RunContext(String pipelineVersion, String runId) {
        this(pipelineVersion, runId, Map.of());
    }

    /** The same run, marked as part of replay run {@code replayRun} in {@code mode}. */
    public RunContext replaying(String replayRun, String mode) {
        Map<String, String> marked = new LinkedHashMap<>(marks);
        marked.put(REPLAY_RUN, replayRun);
        marked.put(REPLAY_MODE, mode);
        return new RunContext(pipelineVersion, runId, marked);
    }
}
