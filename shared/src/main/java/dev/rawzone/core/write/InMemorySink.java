package dev.rawzone.core.write;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ConditionalSink} in memory: for a pull check, which writes a page as a run would and reads back what it
 * wrote, and for unit tests. {@code ConditionalSinkContractTest} keeps it honest against S3.
 */
public final class InMemorySink implements ConditionalSink {
    public record Stored(byte[] body, Map<String, String> metadata) {
    }

    private final TreeMap<String, Stored> objects = new TreeMap<>(InMemorySink::byUtf8);
    private int puts;

    @Override
    public synchronized PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        puts++;
        if (objects.containsKey(key)) {
            return PutOutcome.ALREADY_EXISTS;
        }
        objects.put(key, new Stored(body.clone(), Map.copyOf(metadata)));
        return PutOutcome.CREATED;
    }

    @Override
    public synchronized Optional<Map<String, String>> metadata(String key) {
        return Optional.ofNullable(objects.get(key)).map(Stored::metadata);
    }

    @Override
    public synchronized Optional<byte[]> read(String key) {
        return Optional.ofNullable(objects.get(key)).map(stored -> stored.body().clone());
    }

    @Override
    public synchronized List<String> keys(String prefix) {
        return objects.tailMap(prefix, true).keySet().stream().takeWhile(key -> key.startsWith(prefix)).toList();
    }

    /** S3's key order: by UTF-8 bytes, which differs from String order past the BMP. */
    private static int byUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized Map<String, Stored> objects() {
        return Map.copyOf(objects);
    }

    public synchronized int puts() {
        return puts;
    }
}
