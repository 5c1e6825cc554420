package dev.rawzone.core.checkpoint;

import java.util.Map;

/**
 * Where a source stands: a small map of state (a cursor, a last sequence number) under a key, with a version that
 * every successful write increments. Version 0 means "never written".
 */
public record Checkpoint(String key, long version, Map<String, String> state) {
    public Checkpoint {
        state = Map.copyOf(state);
    }

    public static Checkpoint absent(String key) {
        return new Checkpoint(key, 0, Map.of());
    }
}
