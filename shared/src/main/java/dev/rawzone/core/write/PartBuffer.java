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
    record Entry(Position position, byte[] line) {
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

    List<Entry> entries() {
        return List.copyOf(entries);
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

    void clear() {
        entries.clear();
        bytes = 0;
    }

    /** Gzip JSON Lines. Java's gzip header has no timestamp, so equal records give equal bytes. */
    byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, bytes / 4 + 64));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            for (Entry entry : entries) {
                gzip.write(entry.line());
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
