package dev.rawzone.core.pipeline;

/** Who is writing: the pipeline's version and this invocation's run id (the Lambda request id). */
public record RunContext(String pipelineVersion, String runId) {
}
