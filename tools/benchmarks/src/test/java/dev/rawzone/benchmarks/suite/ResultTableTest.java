package dev.rawzone.benchmarks.suite;

import dev.rawzone.benchmarks.ResultLine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultTableTest {

    private static List<ResultLine> run(double baseline, double ingest, double wall) {
        return List.of(
                new ResultLine("s3", "16 MiB gzip", "baseline", true, ResultLine.figures("MiB/s", baseline, "wall s", 1.0)),
                new ResultLine("s3", "16 MiB gzip", "ingest", false, ResultLine.figures("MiB/s", ingest, "wall s", wall)));
    }

    @Test
    void eachCellIsTheMedianOfTheRunsWithTheirRangeAndTheRatioIsTakenWithinEachRun() {
        // Medians 100 and 50, but the runs' own ratios are 0.4, 0.6 and 0.9: the median ratio is 0.6, not 0.5.
        List<List<ResultLine>> runs = List.of(run(100, 40, 4.0), run(50, 30, 2.0), run(200, 180, 3.0));

        assertEquals("""
                **16 MiB gzip**

                | phase | MiB/s | vs baseline (same run) | wall s |
                |---|--:|--:|--:|
                | baseline | 100 (50.0–200) | 1.00 (1.00–1.00) | 1.00 (1.00–1.00) |
                | ingest | 40.0 (30.0–180) | 0.60 (0.40–0.90) | 3.00 (2.00–4.00) |""",
                ResultTable.markdown(runs, "MiB/s", Set.of()));
    }

    @Test
    void oneRunShowsItsFiguresAloneAGroupWithoutBaselineHasNoRatioAndHiddenFiguresAreLeftOut() {
        List<List<ResultLine>> runs = List.of(List.of(
                new ResultLine("stream", "batch", "baseline", true, ResultLine.figures("records/s", 20000)),
                new ResultLine("stream", "batch", "handler", false, ResultLine.figures("records/s", 12000)),
                new ResultLine("stream", "AWS calls", "batch size 1000", false,
                        ResultLine.figures("calls per record", 0.003, "records", 10000, "S3 PutObject per record", 0.001)),
                new ResultLine("stream", "AWS calls", "again", false, ResultLine.figures("calls per record", 0.001))));

        assertEquals("""
                **batch**

                | phase | records/s | vs baseline (same run) |
                |---|--:|--:|
                | baseline | 20,000 | 1.00 |
                | handler | 12,000 | 0.60 |

                **AWS calls**

                | phase | calls per record | S3 PutObject per record |
                |---|--:|--:|
                | batch size 1000 | 0.003 | 0.001 |
                | again | 0.001 | – |""",
                ResultTable.markdown(runs, "records/s", Set.of("records")));
    }
}
