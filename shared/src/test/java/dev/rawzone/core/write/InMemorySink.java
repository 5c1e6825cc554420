package dev.rawzone.core.write;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A fake {@link ConditionalSink} for unit tests; {@link ConditionalSinkContractTest} keeps it honest against S3. */
public final class InMemorySink implements ConditionalSink {
    public record Stored(byte[] body, Map<String, String> metadata) {
    }

    private final Map<String, Stored> objects = new TreeMap<>();
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

    public synchronized Map<String, Stored> objects() {
        return Map.copyOf(objects);
    }

    public synchronized int puts() {
        return puts;
    }
}
