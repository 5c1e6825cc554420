package dev.rawzone.runner;

/** Ends a command with one line {@code error: <message>} and an exit code (2: the user's input; 1: anything else). */
public final class RunnerException extends RuntimeException {
    private final int exitCode;
    private final boolean showUsage;

    public RunnerException(int exitCode, String message) {
        this(exitCode, message, false);
    }

    private RunnerException(int exitCode, String message, boolean showUsage) {
        super(message);
        this.exitCode = exitCode;
        this.showUsage = showUsage;
    }

    /** The command line itself is wrong: exit 2, and the usage follows the error line. */
    public static RunnerException usage(String message) {
        return new RunnerException(2, message, true);
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean showUsage() {
        return showUsage;
    }
}
