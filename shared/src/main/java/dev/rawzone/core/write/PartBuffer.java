package dev.rawzone.core.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The records of one part, kept until it is published: their lines back to back, each with its newline, as the
 * part's JSON Lines, and the position of each. A part whose key turns out to be taken by a shorter part (written
 * with another policy or batch size) can leave out the records that part covers and be published with the rest.
 * <p>
 * The lines are held in chunks that {@link #clear()} keeps, so a writer that reuses its buffers allocates no
 * part-sized memory after its first parts: a part's bytes are not left to the collector, part after part.
 */
final class PartBuffer {
    private static final int FIRST_CHUNK_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_BYTES = 1024 * 1024;
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    private final List<byte[]> chunks = new ArrayList<>();
    private final PositionColumn positions = new PositionColumn();
    private final ByteArrayOutputStream gzipped = new ByteArrayOutputStream(FIRST_CHUNK_BYTES);
    private long[] ends = new long[1024];
    private int chunk;
    private int used;
    private long length;
    private int firstKept;
    private long keptFrom;

    void add(Position position, byte[] line) {
        append(line);
        append(NEWLINE);
        if (positions.size() == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        ends[positions.size()] = length;
        positions.add(position);
    }

    boolean isEmpty() {
        return size() == 0;
    }

    boolean isFull(PartPolicy policy) {
        return size() >= policy.maxRecords() || length - keptFrom >= policy.maxBytes();
    }

    Position first() {
        return positions.get(firstKept);
    }

    Position last() {
        return positions.get(positions.size() - 1);
    }

    int size() {
        return positions.size() - firstKept;
    }

    /** Leaves out the records at or before {@code through}; returns how many there were. */
    int dropThrough(Position through) {
        int before = firstKept;
        while (firstKept < positions.size() && positions.get(firstKept).compareTo(through) <= 0) {
            firstKept++;
        }
        keptFrom = firstKept == 0 ? 0 : ends[firstKept - 1];
        return firstKept - before;
    }

    /** Empties the buffer and keeps its chunks for the next part. */
    void clear() {
        positions.clear();
        chunk = 0;
        used = 0;
        length = 0;
        firstKept = 0;
        keptFrom = 0;
    }

    /**
     * Gzip JSON Lines. Java's gzip header has no timestamp, so equal records and level give equal bytes. The gzip is
     * written into a buffer this part buffer keeps for its next parts, and only the result is a new array.
     */
    byte[] gzip(int level) {
        gzipped.reset();
        try (GZIPOutputStream gzip = new LeveledGzip(gzipped, level)) {
            long chunkStart = 0;
            for (byte[] bytes : chunks) {
                long from = Math.max(keptFrom, chunkStart);
                long to = Math.min(length, chunkStart + bytes.length);
                if (from < to) {
                    gzip.write(bytes, (int) (from - chunkStart), (int) (to - from));
                }
                chunkStart += bytes.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return gzipped.toByteArray();
    }

    private void append(byte[] bytes) {
        int from = 0;
        while (from < bytes.length) {
            if (chunk == chunks.size()) {
                long capacity = chunks.stream().mapToLong(c -> c.length).sum();
                chunks.add(new byte[(int) Math.min(MAX_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, capacity))]);
            }
            byte[] target = chunks.get(chunk);
            int copied = Math.min(bytes.length - from, target.length - used);
            System.arraycopy(bytes, from, target, used, copied);
            from += copied;
            used += copied;
            length += copied;
            if (used == target.length) {
                chunk++;
                used = 0;
            }
        }
    }

    /** GZIPOutputStream has no level parameter; its deflater is reachable from a subclass. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(ByteArrayOutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER_BYTES);
            def.setLevel(level);
        }
    }
}
