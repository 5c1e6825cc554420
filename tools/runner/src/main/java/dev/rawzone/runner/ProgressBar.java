package dev.rawzone.runner;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replay function's progress lines ({@code replay: 3/10 units, ...}) drawn as one bar redrawn in place, for a
 * person at a terminal; every other log line is printed as it came, below the bar.
 */
final class ProgressBar extends PrintStream {
    private static final Pattern PROGRESS = Pattern.compile("^replay: (\\d+)/(\\d+) units, (.*)$");
    private static final int WIDTH = 30;

    private final PrintStream terminal;
    private boolean drawn;

    ProgressBar(PrintStream terminal) {
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.terminal = terminal;
    }

    @Override
    public synchronized void println(String line) {
        Optional<String> bar = bar(line);
        if (bar.isPresent()) {
            terminal.print("\r" + bar.get());
            drawn = true;
        } else {
            endBar();
            terminal.println(line);
        }
        terminal.flush();
    }

    @Override
    public synchronized void flush() {
        endBar();
        terminal.flush();
    }

    /** {@code [#####     ] 3/10 units, ...} for a progress line; empty for any other line. */
    static Optional<String> bar(String line) {
        Matcher matcher = PROGRESS.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long done = Long.parseLong(matcher.group(1));
        long total = Long.parseLong(matcher.group(2));
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
        return Optional.of("[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total
                + " units, " + matcher.group(3));
    }

    private void endBar() {
        if (drawn) {
            terminal.println();
            drawn = false;
        }
    }
}
