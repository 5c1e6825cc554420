package dev.rawzone.core.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Tells a person how a long replay is going: units done of total, records/s and time left, as a bar redrawn in
 * place on a terminal, or as a line every {@code every} otherwise (a log, a Lambda).
 */
public final class ReplayProgress {
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final Duration every;
    private final LongSupplier nanos;
    private long startedAt;
    private long lastLineAt;
    private int total;
    private int done;
    private long records;

    public ReplayProgress(PrintStream out, boolean terminal, Duration every, LongSupplier nanos) {
        this.out = out;
        this.terminal = terminal;
        this.every = every;
        this.nanos = nanos;
    }

    /** Periodic lines on standard error, one every {@code every}; a bar when there is a console. */
    public static ReplayProgress standard(Duration every) {
        return new ReplayProgress(System.err, System.console() != null, every, System::nanoTime);
    }

    /** Prints nothing (tests, and callers that report on their own). */
    public static ReplayProgress silent() {
        return new ReplayProgress(new PrintStream(java.io.OutputStream.nullOutputStream()), false,
                Duration.ofDays(1), System::nanoTime);
    }

    void started(int units) {
        total = units;
        startedAt = nanos.getAsLong();
        lastLineAt = startedAt;
    }

    void unitDone(UnitResult result) {
        done++;
        records += result.counts().in();
        long now = nanos.getAsLong();
        if (terminal) {
            out.print("\r" + line(now));
            if (done == total) {
                out.println();
            }
        } else if (now - lastLineAt >= every.toNanos() || done == total) {
            lastLineAt = now;
            out.println(line(now));
        }
        out.flush();
    }

    String line(long now) {
        double seconds = Math.max((now - startedAt) / 1e9, 1e-9);
        double unitsPerSecond = done / seconds;
        String left = done == 0 || done >= total ? "-"
                : format(Duration.ofSeconds((long) Math.ceil((total - done) / unitsPerSecond)));
        String text = String.format(Locale.ROOT, "%d/%d units, %d records, %.0f records/s, %s left",
                done, total, records, records / seconds, left);
        if (!terminal) {
            return "replay: " + text;
        }
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
        return "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + text;
    }

    private static String format(Duration duration) {
        long s = duration.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
