package dev.rawzone.core.read;

/**
 * How far into an object's content a reader is: the physical lines consumed, and their bytes in the decompressed
 * content (line breaks included, a leading byte order mark not). A reader that stopped here can be resumed here.
 */
public record ReadProgress(long lines, long bytes) {
    public static final ReadProgress START = new ReadProgress(0, 0);

    public ReadProgress {
        if (lines < 0 || bytes < 0) {
            throw new IllegalArgumentException("progress is not negative: " + lines + " lines, " + bytes + " bytes");
        }
    }
}
