package dev.rawzone.benchmarks.suite;

import dev.rawzone.benchmarks.ResultLine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Markdown tables of one benchmark from its runs: a table per group, a row per phase, a column per figure,
 * each cell the median over the runs with their range. Beside the primary figure, "vs baseline" divides each run's
 * figure by its baseline's in the same run and group, then spreads those ratios over the runs.
 */
final class ResultTable {
    static final String VS_BASELINE = "vs baseline (same run)";

    private ResultTable() {
    }

    /** {@code runs}: the result lines of each run, one list per run; {@code hidden}: figures not shown. */
    static String markdown(List<List<ResultLine>> runs, String primaryFigure, Set<String> hidden) {
        Map<String, Set<String>> phasesByGroup = new LinkedHashMap<>();
        for (List<ResultLine> run : runs) {
            for (ResultLine line : run) {
                phasesByGroup.computeIfAbsent(line.group(), g -> new LinkedHashSet<>()).add(line.phase());
            }
        }
        StringBuilder out = new StringBuilder();
        phasesByGroup.forEach((group, phases) -> {
            List<String> figures = figureNames(runs, group);
            figures.removeAll(hidden);
            boolean ratio = figures.contains(primaryFigure) && hasBaseline(runs, group);
            List<String> columns = new ArrayList<>(figures);
            if (ratio) {
                columns.add(columns.indexOf(primaryFigure) + 1, VS_BASELINE);
            }
            out.append("**").append(group).append("**\n\n| phase |");
            columns.forEach(c -> out.append(' ').append(c).append(" |"));
            out.append("\n|---|");
            columns.forEach(c -> out.append("--:|"));
            out.append('\n');
            for (String phase : phases) {
                out.append("| ").append(phase).append(" |");
                for (String column : columns) {
                    List<Double> values = column.equals(VS_BASELINE) ? ratios(runs, group, phase, primaryFigure)
                            : values(runs, group, phase, column);
                    out.append(' ').append(values.isEmpty() ? "–" : Spread.of(values).format()).append(" |");
                }
                out.append('\n');
            }
            out.append('\n');
        });
        return out.toString().strip();
    }

    /** The figure of a phase in every run that has it. */
    static List<Double> values(List<List<ResultLine>> runs, String group, String phase, String figure) {
        List<Double> values = new ArrayList<>();
        for (List<ResultLine> run : runs) {
            find(run, group, phase).map(line -> line.figures().get(figure)).ifPresent(values::add);
        }
        return values;
    }

    private static List<Double> ratios(List<List<ResultLine>> runs, String group, String phase, String figure) {
        List<Double> ratios = new ArrayList<>();
        for (List<ResultLine> run : runs) {
            Optional<Double> baseline = run.stream().filter(l -> l.group().equals(group) && l.baseline())
                    .findFirst().map(l -> l.figures().get(figure));
            Optional<Double> value = find(run, group, phase).map(l -> l.figures().get(figure));
            if (baseline.isPresent() && value.isPresent() && baseline.get() != 0) {
                ratios.add(value.get() / baseline.get());
            }
        }
        return ratios;
    }

    private static Optional<ResultLine> find(List<ResultLine> run, String group, String phase) {
        return run.stream().filter(l -> l.group().equals(group) && l.phase().equals(phase)).findFirst();
    }

    private static List<String> figureNames(List<List<ResultLine>> runs, String group) {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(run -> run.stream().filter(l -> l.group().equals(group)).forEach(l -> names.addAll(l.figures().keySet())));
        return new ArrayList<>(names);
    }

    private static boolean hasBaseline(List<List<ResultLine>> runs, String group) {
        return runs.stream().flatMap(List::stream).anyMatch(l -> l.group().equals(group) && l.baseline());
    }
}
