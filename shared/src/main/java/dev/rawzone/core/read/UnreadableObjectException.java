package dev.rawzone.core.read;

import java.io.IOException;

/** The object as a whole cannot be read (as opposed to a single bad record). */
public final class UnreadableObjectException extends IOException {

    private final String reason;
    private final long line;

    public UnreadableObjectException(String reason, long line) {
        this(reason, line, null);
    }

    public UnreadableObjectException(String reason, long line, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
        this.line = line;
    }

    /** The same failure, found to make the object unreadable from an earlier line. */
    UnreadableObjectException fromLine(long earlierLine) {
        return new UnreadableObjectException(reason, earlierLine, getCause());
    }

    public String reason() {
        return reason;
    }

    /** The 1-based line reading had reached, or 0 if the object was rejected before its lines were read. */
    public long line() {
        return line;
    }
}
