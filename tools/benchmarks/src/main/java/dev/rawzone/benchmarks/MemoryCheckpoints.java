package dev.rawzone.benchmarks;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointConflictException;
import dev.rawzone.core.checkpoint.CheckpointStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in this JVM with the same compare-and-set on the version, for a phase that leaves storage out. */
final class MemoryCheckpoints implements CheckpointStore {
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Checkpoint get(String key) {
        return checkpoints.getOrDefault(key, Checkpoint.absent(key));
    }

    @Override
    public synchronized Checkpoint advance(Checkpoint current, Map<String, String> next) {
        if (get(current.key()).version() != current.version()) {
            throw new CheckpointConflictException(current.key(), current.version());
        }
        Checkpoint advanced = new Checkpoint(current.key(), current.version() + 1, next);
        checkpoints.put(current.key(), advanced);
        return advanced;
    }
}
