package dev.rawzone.core.checkpoint;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A fake {@link CheckpointStore}; {@link CheckpointStoreContractTest} holds it to DynamoDB's semantics. */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final Map<String, Checkpoint> checkpoints = new HashMap<>();

    @Override
    public synchronized Checkpoint get(String key) {
        return checkpoints.getOrDefault(key, Checkpoint.absent(key));
    }

    @Override
    public synchronized Checkpoint advance(Checkpoint current, Map<String, String> next) {
        if (get(current.key()).version() != current.version()) {
            throw new CheckpointConflictException(current.key(), current.version());
        }
        Checkpoint stored = new Checkpoint(current.key(), current.version() + 1, next);
        long size = DynamoDbItemSize.of(CheckpointItem.of(stored, Instant.now()));
        if (size > DynamoDbItemSize.LIMIT) {
            throw new CheckpointTooLargeException(current.key(), size, DynamoDbItemSize.LIMIT);
        }
        checkpoints.put(current.key(), stored);
        return stored;
    }
}
