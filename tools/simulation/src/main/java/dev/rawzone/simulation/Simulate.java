package dev.rawzone.simulation;

import dev.rawzone.runner.invoke.RunnerLocation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * {@code ./ingest simulate [--source s3|kinesis|pull|replay] [--seeds N] [--seed S] [--soak] [--template PATH]}: the
 * exactly-once simulation, against {@code template.yaml} (or {@code --template}) deployed on each source's emulator.
 * Without options it runs the fixed suite CI runs ({@value #SUITE_SEEDS} seeds per source, fewer of the
 * slower ones: {@link SourceSimulation#suiteSeeds}); exits 1
 * when any scenario breaks an invariant.
 */
public final class Simulate {
    static final int SUITE_SEEDS = 100;
    static final int SOAK_SEEDS = 1000;

    private Simulate() {
    }

    public static void main(String[] args) {
        List<String> sources = new ArrayList<>(Simulation.ORDER);
        long first = 1;
        long count = 0;
        Path template = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--source" -> {
                    if (!Simulation.SOURCES.containsKey(value)) {
                        usage("--source takes one of " + Simulation.SOURCES.keySet());
                    }
                    sources = List.of(value);
                    i++;
                }
                case "--seeds" -> {
                    count = number(value);
                    i++;
                }
                case "--seed" -> {
                    first = number(value);
                    count = 1;
                    i++;
                }
                case "--template" -> {
                    if (value == null) {
                        usage("--template takes a file");
                    }
                    template = Path.of(value);
                    i++;
                }
                case "--soak" -> {
                    first = SUITE_SEEDS + 1;
                    count = SOAK_SEEDS;
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown option " + args[i]);
            }
        }
        sources = sources.stream().filter(Simulation.SOURCES::containsKey).toList();
        Path deployed = template != null ? template : RunnerLocation.current().template().orElse(null);
        if (deployed == null || !Files.isRegularFile(deployed)) {
            usage(deployed == null ? "cannot find template.yaml; pass --template PATH" : "no template " + deployed);
        }
        List<ScenarioResult> results;
        try {
            results = count == 0 ? Simulation.suite(sources, deployed)
                    : Simulation.run(sources, LongStream.range(first, first + count).boxed().toList(), deployed);
        } catch (IllegalStateException e) {
            System.err.println("simulate: error: " + e.getMessage());
            System.exit(1);
            return;
        }
        ResultTable.print(results, System.out);
        System.exit(results.stream().allMatch(ScenarioResult::passed) ? 0 : 1);
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            usage("expected a number, got " + value);
            return 0;
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("simulate: " + problem);
        }
        System.err.println("usage: ./ingest simulate [--source s3|kinesis|pull|replay] [--seeds N] [--seed S] [--soak]"
                + " [--template PATH]");
        System.err.println("  default: the fixed suite CI runs, seeds 1.." + SUITE_SEEDS + " of every source (1.."
                + ReplaySimulation.SUITE_SEEDS + " of replay)");
        System.err.println("  --template: the SAM template deployed on each source's emulator (default: the repository's"
                + " template.yaml)");
        System.err.println("  --soak: seeds " + (SUITE_SEEDS + 1) + ".." + (SUITE_SEEDS + SOAK_SEEDS) + " (a longer run)");
        System.exit(problem == null ? 0 : 2);
    }
}
