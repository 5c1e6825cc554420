package dev.rawzone.core.checkpoint;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

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
        long size = DynamoDbItemSize.of(Map.of("state", AttributeValue.fromM(next.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> AttributeValue.fromS(entry.getValue()))))));
        if (size > DynamoDbItemSize.LIMIT) {
            throw new CheckpointTooLargeException(current.key(), size, DynamoDbItemSize.LIMIT);
        }
        Checkpoint stored = new Checkpoint(current.key(), current.version() + 1, next);
        checkpoints.put(current.key(), stored);
        return stored;
    }
}
