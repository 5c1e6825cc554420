package dev.rawzone.core.replay;

import dev.rawzone.core.accounting.Counts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplayProgressTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void withoutATerminalALineIsPrintedEveryPeriodAndAtTheEnd() {
        ReplayProgress progress = new ReplayProgress(new PrintStream(out, true, StandardCharsets.UTF_8), false,
                Duration.ofSeconds(30), nanos::get);
        progress.started(4);
        for (int unit = 1; unit <= 4; unit++) {
            nanos.addAndGet(Duration.ofSeconds(20).toNanos());
            progress.unitDone(unit(1000));
        }

        assertEquals(List.of(
                "replay: 2/4 units, 2000 records, 50 records/s, 0m40s left",
                "replay: 4/4 units, 4000 records, 50 records/s, - left"), out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void onATerminalABarIsRedrawnInPlace() {
        ReplayProgress progress = new ReplayProgress(new PrintStream(out, true, StandardCharsets.UTF_8), true,
                Duration.ofSeconds(30), nanos::get);
        progress.started(3);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        progress.unitDone(unit(500));

        assertEquals("\r[##########                    ] 1/3 units, 500 records, 50 records/s, 0m20s left",
                out.toString(StandardCharsets.UTF_8));
    }

    private static UnitResult unit(long records) {
        return new UnitResult(new ReplayItem("part", "k"), UnitStatus.OK, "", new Counts(records, 0, 0, 0, 0),
                List.of(), List.of(), 0);
    }
}
