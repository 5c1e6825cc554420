package dev.rawzone.core.checkpoint;

import java.util.Map;

/**
 * Checkpoints advanced with compare-and-set on their version, so two writers can never both move one, and a
 * checkpoint only moves after the data it covers is durable (the caller writes the data first).
 */
public interface CheckpointStore {

    /** The stored checkpoint, or {@link Checkpoint#absent} with version 0. */
    Checkpoint get(String key);

    /**
     * Stores {@code next}'s state as version {@code current.version() + 1}, only if the stored version is still
     * {@code current.version()}.
     *
     * @return the stored checkpoint, or throws {@link CheckpointConflictException} if another writer moved it first
     */
    Checkpoint advance(Checkpoint current, Map<String, String> next);
}
