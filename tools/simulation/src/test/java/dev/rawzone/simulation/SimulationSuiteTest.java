package dev.rawzone.simulation;

import dev.rawzone.simulation.faults.CrashPlan;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixed suite CI runs: seeds 1..{@value Simulate#SUITE_SEEDS} of every source (fewer of replay, whose scenarios
 * are slower), the same scenarios on every run. Prints the table; fails with every failing seed, what broke and the
 * command that reruns it alone. {@code -Dsimulation.sources=replay} (comma-separated) runs those sources' suites only.
 */
class SimulationSuiteTest {
    /** Armed this often, a crash point that never fires is not rare but dead. */
    private static final int CRASHES_TO_REACH = 10;
    /**
     * A known gap, not a dead point: the S3 scenarios arm crashes around the whole-object quarantine's CopyObject, but
     * none of their objects reaches that copy under a crash yet (found 2026-12-03, when this check came in).
     */
    private static final String NOT_REACHED_YET = "CopyObject quarantine/ ";

    @Test
    void everyRecordIsAccountedForExactlyOnceInEveryScenario() {
        String only = System.getProperty("simulation.sources", "");
        List<String> sources = only.isBlank() ? Simulation.ORDER : List.of(only.split(","));
        List<ScenarioResult> results = Simulation.suite(sources, LabTest.TEMPLATE);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        System.out.println("== exactly-once simulation (" + results.size() + " scenarios)");
        System.out.print(printed);
        assertTrue(!only.isBlank() || results.size() >= 300, "the suite runs at least 300 scenarios");
        assertTrue(results.stream().allMatch(ScenarioResult::passed), printed);
        assertEquals(List.of(), CrashPlan.armedButNeverReached(CRASHES_TO_REACH).stream()
                        .filter(point -> !point.startsWith(NOT_REACHED_YET)).toList(),
                "crash points armed " + CRASHES_TO_REACH + " times or more that never fired");
    }
}
