package dev.rawzone.simulation;

import dev.rawzone.simulation.faults.SimulatedCrash;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs seeded scenarios of the chosen sources against one emulator. The functions' own logs and metrics are
 * silenced while they run (the harness reads their reports, not their output); a scenario that throws is a
 * failing scenario, never a crash of the run.
 */
final class Simulation {
    static final Map<String, SourceSimulation> SOURCES = Map.of(
            "s3", new S3Simulation(),
            "kinesis", new KinesisSimulation(),
            "pull", new PullSimulation());
    static final List<String> ORDER = List.of("s3", "kinesis", "pull");

    private Simulation() {
    }

    static List<ScenarioResult> run(List<String> sources, List<Long> seeds) {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
        List<ScenarioResult> results = new ArrayList<>();
        try (Lab lab = Lab.start()) {
            for (String name : sources) {
                SourceSimulation source = SOURCES.get(name);
                for (long seed : seeds) {
                    results.add(runOne(source, seed, lab));
                }
            }
        } finally {
            System.setOut(console);
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
