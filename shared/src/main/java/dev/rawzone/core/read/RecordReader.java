package dev.rawzone.core.read;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/** Streams the records of one object. Closing the reader closes the object's stream. */
public interface RecordReader extends Closeable {

    /**
     * The next record, or empty at end of input.
     *
     * @throws UnreadableObjectException if the object itself cannot be read any further (damaged gzip, bad CSV
     *     header); bad records are returned as {@link ReadResult.Rejected} instead
     */
    Optional<ReadResult> next() throws IOException;

    /** How far the records returned so far reach into the content. */
    ReadProgress progress();

    /**
     * Passes over the content up to {@code target} (a {@link #progress()} an earlier reader of the same content
     * reported) at the speed of decompression: lines are counted, not parsed. Call before the first {@link #next()}.
     *
     * @throws IllegalStateException if the content does not reach {@code target} or its lines end elsewhere
     */
    void skipTo(ReadProgress target) throws IOException;
}
