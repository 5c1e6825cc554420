package dev.rawzone.core.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory schema source that counts how often it is asked. */
final class MapSchemaSource implements SchemaSource {
    private final Map<String, Map<Integer, String>> schemas = new ConcurrentHashMap<>();
    final AtomicInteger listings = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    MapSchemaSource put(String dataset, int version, String schema) {
        schemas.computeIfAbsent(dataset, d -> new ConcurrentHashMap<>()).put(version, schema);
        return this;
    }

    static MapSchemaSource of(String dataset, String... versions) {
        MapSchemaSource source = new MapSchemaSource();
        for (int i = 0; i < versions.length; i++) {
            source.put(dataset, i + 1, versions[i]);
        }
        return source;
    }

    @Override
    public Optional<String> read(String dataset, int version) {
        reads.incrementAndGet();
        return Optional.ofNullable(schemas.getOrDefault(dataset, Map.of()).get(version));
    }

    @Override
    public List<Integer> versions(String dataset) {
        listings.incrementAndGet();
        List<Integer> versions = new ArrayList<>(schemas.getOrDefault(dataset, Map.of()).keySet());
        versions.sort(null);
        return versions;
    }

    @Override
    public String toString() {
        return "memory:";
    }
}
