package dev.rawzone.core.read;

import java.io.IOException;

/** Gzip content that cannot be decompressed; the reader turns it into {@link UnreadableObjectException}. */
final class DamagedGzipException extends IOException {

    private final String problem;

    DamagedGzipException(String problem, IOException cause) {
        super(problem, cause);
        this.problem = problem;
    }

    UnreadableObjectException atLine(long line) {
        return new UnreadableObjectException(problem + " at line " + line, line, this);
    }
}
