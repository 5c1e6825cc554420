package dev.rawzone.benchmarks.suite;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One benchmark as {@code ./ingest bench} runs it: its marker id in BENCHMARKS.md, main class, the template function
 * whose {@code JAVA_TOOL_OPTIONS} it runs under (none for the cold start benchmark, which starts the functions with
 * their own), heap, arguments for the full and the quick run, the figure compared with the baseline, and the
 * figures left out of its table (the cost model's inputs that the table's group title already states).
 */
record BenchCase(String id, String title, String mainClass, Optional<String> function, String heap,
                 List<String> fullArguments, List<String> quickArguments, String primaryFigure,
                 Set<String> inputsOnly) {

    List<String> arguments(boolean quick) {
        return quick ? quickArguments : fullArguments;
    }

    String simpleName() {
        return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** Every benchmark, in the order they run (the cold start first, while the machine is quietest). */
    static List<BenchCase> all() {
        String pkg = "dev.rawzone.benchmarks.";
        return List.of(
                new BenchCase("coldstart", "Cold start", pkg + "coldstart.ColdStartBenchmark", Optional.empty(), "256m",
                        List.of("--runs", "1"), List.of("--runs", "1"), "ms to first response", Set.of()),
                new BenchCase("s3", "S3 push", pkg + "S3IngestBenchmark", Optional.of("S3IngestFunction"), "512m",
                        List.of("--size-mb", "128"), List.of("--size-mb", "16"), "MiB/s JSON Lines",
                        Set.of("gzip MiB", "JSON Lines MiB", "records")),
                new BenchCase("validation", "Validation alone", pkg + "ValidationBenchmark",
                        Optional.of("S3IngestFunction"), "512m", List.of(),
                        List.of("--records", "5000", "--runs", "1", "--passes", "5"), "records per CPU second",
                        Set.of("records")),
                new BenchCase("resume", "Resume (S3 continuation)", pkg + "ResumeBenchmark",
                        Optional.of("S3IngestFunction"), "512m", List.of("--mib", "128"), List.of("--mib", "16"),
                        "seconds", Set.of()),
                new BenchCase("stream", "Kinesis", pkg + "StreamIngestBenchmark", Optional.of("StreamIngestFunction"),
                        "1g", List.of("3"), List.of("1"), "records/s", Set.of("records", "bytes")),
                new BenchCase("pull", "Pull", pkg + "PullIngestBenchmark", Optional.of("PullIngestFunction"), "512m",
                        List.of("--records", "100000", "--page-size", "1000"),
                        List.of("--records", "10000", "--page-size", "1000"), "records/s", Set.of("records")),
                new BenchCase("rebuild", "Rebuild replay", pkg + "RebuildBenchmark", Optional.of("ReplayFunction"),
                        "512m", List.of("--json-mb", "256"), List.of("--json-mb", "32"), "MiB/s JSON Lines",
                        Set.of()));
    }
}
