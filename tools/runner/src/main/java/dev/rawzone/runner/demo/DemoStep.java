package dev.rawzone.runner.demo;

/**
 * One part of {@code ingest demo}: it makes data arrive through one source, invokes the function that takes it, and
 * adds a row per source unit (object, shard, page) to the report. The S3 push part is {@link S3PushStep}; a Kinesis
 * part or an HTTP pull part is another implementation added to {@link DemoCommand#steps()}.
 */
public interface DemoStep {
    /** A short title, printed as the step starts. */
    String title();

    /** The function logical ids and other resources this step needs; a step whose needs the template lacks is skipped. */
    default java.util.List<String> requires() {
        return java.util.List.of();
    }

    void run(DemoContext demo);
}
