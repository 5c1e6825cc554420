package dev.rawzone.simulation;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's results as a table per source, then every failing seed with what failed and how to rerun it. */
final class ResultTable {
    private static final String FORMAT = "%-8s %9s %10s %8s %11s %10s %10s %5s %10s %7s %8s%n";
    private static final int VIOLATIONS_SHOWN = 5;

    private ResultTable() {
    }

    static void print(List<ScenarioResult> results, PrintStream out) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (ScenarioResult result : results) {
            rows.computeIfAbsent(result.source, Row::new).add(result);
        }
        out.printf(FORMAT, "source", "scenarios", "records in", "written", "quarantined", "duplicates",
                "failed and", "lost", "duplicated", "failing", "wall");
        out.printf(FORMAT, "", "", "", "", "", "skipped", "retried", "", "", "seeds", "");
        for (Row row : rows.values()) {
            out.printf(FORMAT, row.source, row.scenarios, row.in, row.written, row.quarantined, row.duplicates,
                    row.failed, row.lost, row.duplicated, row.failing, String.format("%.1f s", row.millis / 1000.0));
        }
        out.println("(records in: records the sources sent; written / quarantined: found in the raw zone afterwards;"
                + " duplicates skipped: as the invocations counted them; failed and retried: attempts that crashed or"
                + " failed and were delivered again)");
        rows.values().stream().filter(row -> row.continued > 0).forEach(row -> out.println("(" + row.source + ": "
                + row.continued + " continuations, each an invocation that stopped before an object's end)"));
        List<String> lostAtSource = results.stream().flatMap(result -> result.lostAtSource.stream()
                .map(range -> result.source + " seed " + result.seed + ": " + range)).toList();
        if (!lostAtSource.isEmpty()) {
            out.println("lost at the source, as declared and reported LOST with the exact range (not in \"lost\"): "
                    + lostAtSource.size() + " ranges (" + String.join("; ", lostAtSource) + ")");
        }
        for (ScenarioResult result : results) {
            if (!result.passed()) {
                out.println();
                out.println("FAILED " + result.source + " seed " + result.seed + ": " + result.violations.size()
                        + " violation(s); rerun alone: " + result.rerun());
                out.println("  scenario: " + result.description);
                result.violations.stream().limit(VIOLATIONS_SHOWN).forEach(v -> out.println("  - " + v));
                if (result.violations.size() > VIOLATIONS_SHOWN) {
                    out.println("  - ... and " + (result.violations.size() - VIOLATIONS_SHOWN) + " more");
                }
            }
        }
    }

    private static final class Row {
        final String source;
        int scenarios;
        long in;
        long written;
        long quarantined;
        long duplicates;
        long failed;
        long continued;
        long lost;
        long duplicated;
        int failing;
        long millis;

        Row(String source) {
            this.source = source;
        }

        void add(ScenarioResult result) {
            scenarios++;
            in += result.recordsIn;
            written += result.written;
            quarantined += result.quarantined;
            duplicates += result.duplicatesSkipped;
            failed += result.failedThenRetried;
            continued += result.continued;
            lost += result.lost;
            duplicated += result.duplicated;
            failing += result.passed() ? 0 : 1;
            millis += result.millis;
        }
    }
}
