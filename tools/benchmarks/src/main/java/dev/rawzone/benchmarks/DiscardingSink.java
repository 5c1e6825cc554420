package dev.rawzone.benchmarks;

import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A raw zone that accepts every write and keeps nothing but counts: the ingest path with its parts built
 * (serialised, gzipped, hashed) but never sent, to tell the cost of the PUTs from the rest.
 */
final class DiscardingSink implements ConditionalSink {
    private final Map<String, long[]> byPrefix = new TreeMap<>();

    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        long[] counts = byPrefix.computeIfAbsent(key.substring(0, key.indexOf('/') + 1), prefix -> new long[2]);
        counts[0]++;
        counts[1] += body.length;
        return PutOutcome.CREATED;
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> read(String key) {
        return Optional.empty();
    }

    /** Nothing is kept, so nothing is listed. */
    @Override
    public List<String> keys(String prefix) {
        return List.of();
    }

    /** Objects written under a top-level prefix such as {@code raw/}. */
    long objects(String prefix) {
        return byPrefix.getOrDefault(prefix, new long[2])[0];
    }

    /** Bytes written under a top-level prefix such as {@code raw/}. */
    long bytes(String prefix) {
        return byPrefix.getOrDefault(prefix, new long[2])[1];
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        byPrefix.forEach((prefix, counts) -> out.append(out.length() > 0 ? ", " : "").append(prefix).append(' ')
                .append(counts[0]).append(" objects, ").append(counts[1]).append(" bytes"));
        return out.toString();
    }
}
