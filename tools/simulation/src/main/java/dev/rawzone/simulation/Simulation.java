package dev.rawzone.simulation;

import dev.rawzone.simulation.faults.SimulatedCrash;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * Runs seeded scenarios of the chosen sources, each source in its own thread against its own emulator. The functions' own logs and metrics are
 * silenced while they run (the harness reads their reports, not their output); a scenario that throws is a
 * failing scenario, never a crash of the run.
 */
final class Simulation {
    static final Map<String, SourceSimulation> SOURCES = Map.of(
            "s3", new S3Simulation(),
            "kinesis", new KinesisSimulation(),
            "pull", new PullSimulation(),
            "replay", new ReplaySimulation());
    static final List<String> ORDER = List.of("s3", "kinesis", "pull", "replay");

    private Simulation() {
    }

    /** The same seeds for every source. */
    static List<ScenarioResult> run(List<String> sources, List<Long> seeds, Path template) {
        return run(sources, source -> seeds, template);
    }

    /** The fixed suite: seeds 1..{@link SourceSimulation#suiteSeeds} of each source. */
    static List<ScenarioResult> suite(List<String> sources, Path template) {
        return run(sources, source -> LongStream.rangeClosed(1, SOURCES.get(source).suiteSeeds()).boxed().toList(),
                template);
    }

    /**
     * Each source's scenarios in a thread of its own, against an emulator of its own with {@code template} deployed
     * on it; results in source order.
     */
    static List<ScenarioResult> run(List<String> sources, Function<String, List<Long>> seeds, Path template) {
        PrintStream console = System.out;
        PrintStream log = System.err;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
        ExecutorService pool = Executors.newFixedThreadPool(sources.size());
        try {
            List<Future<List<ScenarioResult>>> running = new ArrayList<>();
            for (String name : sources) {
                running.add(pool.submit(() -> runSource(SOURCES.get(name), seeds.apply(name), template, log)));
            }
            List<ScenarioResult> results = new ArrayList<>();
            for (Future<List<ScenarioResult>> source : running) {
                results.addAll(source.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a source's scenarios could not run: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            System.setOut(console);
        }
    }

    private static List<ScenarioResult> runSource(SourceSimulation source, List<Long> seeds, Path template,
                                                  PrintStream log) {
        List<ScenarioResult> results = new ArrayList<>();
        ByteArrayOutputStream deployed = new ByteArrayOutputStream();
        try (Lab lab = Lab.start(template, new PrintStream(deployed, true, StandardCharsets.UTF_8))) {
            deployed.toString(StandardCharsets.UTF_8).lines().forEach(line -> log.println(source.name() + ": " + line));
            for (long seed : seeds) {
                results.add(runOne(source, seed, lab));
            }
        }
        return results;
    }

    private static ScenarioResult runOne(SourceSimulation source, long seed, Lab lab) {
        long started = System.nanoTime();
        try {
            return source.run(seed, lab);
        } catch (RuntimeException | SimulatedCrash e) {
            ScenarioResult broken = new ScenarioResult(source.name(), seed);
            broken.description = "the harness itself failed";
            broken.violations.add("scenario could not run: " + e);
            broken.millis = (System.nanoTime() - started) / 1_000_000;
            return broken;
        }
    }
}
