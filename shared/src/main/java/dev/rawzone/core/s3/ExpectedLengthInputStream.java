package dev.rawzone.core.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An object's body that must deliver the length the response announced. A connection that drops part-way can look
 * like a clean end of stream to the HTTP client; taken as the end of the object, it would lose the rest without a
 * word, or pass for a damaged object. It fails with {@link IncompleteBodyException} instead, a transient failure.
 */
final class ExpectedLengthInputStream extends FilterInputStream {
    private final long expected;
    private long read;

    ExpectedLengthInputStream(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int next = super.read();
        count(next < 0 ? -1 : 1);
        return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return count(super.read(buffer, offset, length));
    }

    @Override
    public long skip(long bytes) throws IOException {
        long skipped = super.skip(bytes);
        read += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private int count(int bytes) throws IncompleteBodyException {
        if (bytes < 0 && read < expected) {
            throw new IncompleteBodyException(read, expected);
        }
        read += Math.max(bytes, 0);
        return bytes;
    }

    /** The body ended before its announced length: retry, for nothing about the object itself is known to be wrong. */
    static final class IncompleteBodyException extends IOException {
        IncompleteBodyException(long read, long expected) {
            super("the object's body ended after " + read + " of " + expected + " bytes; retrying, not taking it "
                    + "for the end of the object");
        }
    }
}
