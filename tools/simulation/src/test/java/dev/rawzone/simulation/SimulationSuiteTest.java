package dev.rawzone.simulation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixed suite CI runs: seeds 1..{@value Simulate#SUITE_SEEDS} of every source, the same scenarios on every
 * run. Prints the table; fails with every failing seed, what broke and the command that reruns it alone.
 */
class SimulationSuiteTest {

    @Test
    void everyRecordIsAccountedForExactlyOnceInEveryScenario() {
        List<Long> seeds = LongStream.rangeClosed(1, Simulate.SUITE_SEEDS).boxed().toList();
        List<ScenarioResult> results = Simulation.run(Simulation.ORDER, seeds);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        System.out.println("== exactly-once simulation (" + results.size() + " scenarios)");
        System.out.print(printed);
        assertTrue(results.size() >= 300, "the suite runs at least 300 scenarios");
        assertTrue(results.stream().allMatch(ScenarioResult::passed), printed);
    }
}
