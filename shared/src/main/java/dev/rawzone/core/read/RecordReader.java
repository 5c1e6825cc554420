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
}
