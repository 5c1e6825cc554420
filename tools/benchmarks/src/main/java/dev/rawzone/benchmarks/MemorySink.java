package dev.rawzone.benchmarks;

import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A write-once store in this JVM's memory (bodies kept), for a phase that leaves the emulator out. */
final class MemorySink implements ConditionalSink {
    private record Stored(byte[] body, Map<String, String> metadata) {
    }

    private final Map<String, Stored> objects = new ConcurrentHashMap<>();

    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        return objects.putIfAbsent(key, new Stored(body.clone(), Map.copyOf(metadata))) == null
                ? PutOutcome.CREATED : PutOutcome.ALREADY_EXISTS;
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        return Optional.ofNullable(objects.get(key)).map(Stored::metadata);
    }

    @Override
    public Optional<byte[]> read(String key) {
        return Optional.ofNullable(objects.get(key)).map(stored -> stored.body().clone());
    }

    @Override
    public List<String> keys(String prefix) {
        return objects.keySet().stream().filter(key -> key.startsWith(prefix))
                .sorted((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                        b.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }
}
