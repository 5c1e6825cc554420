package dev.rawzone.core.checkpoint;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link CheckpointStore} on a DynamoDB table with a string partition key {@code pk}: one strongly consistent
 * GetItem to read, one conditional PutItem to advance. A state that would make the item larger than DynamoDB's
 * 400 KB is refused with {@link CheckpointTooLargeException} before the write, as DynamoDB would refuse it.
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {
    static final String KEY = "pk";
    static final String VERSION = "version";
    static final String STATE = "state";
    static final String UPDATED_AT = "updated_at";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbCheckpointStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Checkpoint get(String key) {
        GetItemResponse response = dynamoDb.getItem(get -> get.tableName(table).consistentRead(true)
                .key(Map.of(KEY, AttributeValue.fromS(key))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Checkpoint.absent(key);
        }
        Map<String, AttributeValue> item = response.item();
        Map<String, String> state = item.getOrDefault(STATE, AttributeValue.fromM(Map.of())).m().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().s()));
        return new Checkpoint(key, Long.parseLong(item.get(VERSION).n()), state);
    }

    @Override
    public Checkpoint advance(Checkpoint current, Map<String, String> next) {
        long version = current.version() + 1;
        Map<String, AttributeValue> state = new HashMap<>();
        next.forEach((name, value) -> state.put(name, AttributeValue.fromS(value)));
        Map<String, AttributeValue> item = Map.of(
                KEY, AttributeValue.fromS(current.key()),
                VERSION, AttributeValue.fromN(Long.toString(version)),
                STATE, AttributeValue.fromM(state),
                UPDATED_AT, AttributeValue.fromS(Instant.now().toString()));
        long size = DynamoDbItemSize.of(item);
        if (size > DynamoDbItemSize.LIMIT) {
            throw new CheckpointTooLargeException(current.key(), size, DynamoDbItemSize.LIMIT);
        }
        try {
            if (current.version() == 0) {
                dynamoDb.putItem(put -> put.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", KEY)));
            } else {
                dynamoDb.putItem(put -> put.tableName(table).item(item)
                        .conditionExpression("#v = :expected")
                        .expressionAttributeNames(Map.of("#v", VERSION))
                        .expressionAttributeValues(Map.of(":expected",
                                AttributeValue.fromN(Long.toString(current.version())))));
            }
        } catch (ConditionalCheckFailedException e) {
            throw new CheckpointConflictException(current.key(), current.version());
        }
        return new Checkpoint(current.key(), version, next);
    }
}
