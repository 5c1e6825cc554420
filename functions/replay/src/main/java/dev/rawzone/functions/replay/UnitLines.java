package dev.rawzone.functions.replay;

import dev.rawzone.core.replay.ReplayReport;
import dev.rawzone.core.replay.UnitResult;

import java.util.stream.Collectors;

/** What a person reads of a replay: one line per unit ({@code DIFFERS <key>: <why>}) and a totals line. */
final class UnitLines {
    private UnitLines() {
    }

    static String unit(UnitResult result) {
        String line = result.status().name() + " " + result.item().key();
        return result.detail() == null || result.detail().isBlank() ? line : line + ": " + result.detail();
    }

    static String totals(ReplayReport report) {
        String statuses = report.byStatus().entrySet().stream()
                .map(entry -> entry.getKey().name() + " " + entry.getValue()).collect(Collectors.joining(", "));
        String counts = report.totals().asMap().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "));
        return "replay " + report.run().mode().label() + " " + report.run().runId() + (report.run().dryRun()
                ? " (dry run)" : "") + ": " + report.results().size() + " units (" + (statuses.isEmpty() ? "none"
                : statuses) + "); records: " + counts + report.manifest().map(key -> "; manifest " + key).orElse("")
                + (report.stoppedEarly() ? "; stopped early, re-run with the same run_id to continue" : "");
    }
}
