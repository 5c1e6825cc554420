package dev.rawzone.core.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The records of one part, kept until it is published. They stay separate so that a part whose key turns out to
 * be taken by a shorter part (written with another policy or batch size) can give back the records it does not cover.
 */
final class PartBuffer {
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private record Entry(Position position, byte[] line) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private long bytes;

    void add(Position position, byte[] line) {
        entries.add(new Entry(position, line));
        bytes += line.length + 1;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean isFull(PartPolicy policy) {
        return entries.size() >= policy.maxRecords() || bytes >= policy.maxBytes();
    }

    Position first() {
        return entries.get(0).position();
    }

    Position last() {
        return entries.get(entries.size() - 1).position();
    }

    int size() {
        return entries.size();
    }

    /** Leaves out the records at or before {@code through}; returns how many there were. */
    int dropThrough(Position through) {
        int covered = 0;
        while (covered < entries.size() && entries.get(covered).position().compareTo(through) <= 0) {
            bytes -= entries.get(covered).line().length + 1;
            covered++;
        }
        entries.subList(0, covered).clear();
        return covered;
    }

    /** Gzip JSON Lines. Java's gzip header has no timestamp, so equal records and level give equal bytes. */
    byte[] gzip(int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, bytes / 3 + 64));
        try (GZIPOutputStream gzip = new LeveledGzip(out, level)) {
            for (Entry entry : entries) {
                gzip.write(entry.line());
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** GZIPOutputStream has no level parameter; its deflater is reachable from a subclass. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(ByteArrayOutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER_BYTES);
            def.setLevel(level);
        }
    }
}
