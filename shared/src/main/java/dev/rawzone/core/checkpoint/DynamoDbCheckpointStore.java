package dev.rawzone.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsJsonCall;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Clock;
import java.util.Map;

/**
 * {@link CheckpointStore} on a DynamoDB table with a string partition key {@code pk}: one strongly consistent
 * GetItem to read, one conditional PutItem to advance, over DynamoDB's JSON protocol ({@link AwsJsonCall}) rather
 * than the DynamoDB module. A state that would make the item larger than DynamoDB's 400 KB is refused with
 * {@link CheckpointTooLargeException} before the write, as DynamoDB would refuse it.
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";

    private final AwsJsonCall dynamoDb;
    private final String table;
    private final Clock clock;

    /** @param dynamoDb calls of {@link dev.rawzone.core.config.AwsJsonService#DYNAMODB} */
    public DynamoDbCheckpointStore(AwsJsonCall dynamoDb, String table) {
        this(dynamoDb, table, Clock.systemUTC());
    }

    /** With {@code clock} for {@code updated_at}, whose length a test of the size limit fixes. */
    DynamoDbCheckpointStore(AwsJsonCall dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Checkpoint get(String key) {
        return CheckpointItem.from(key, getItem(key).path("Item"));
    }

    @Override
    public Checkpoint advance(Checkpoint current, Map<String, String> next) {
        Checkpoint advanced = new Checkpoint(current.key(), current.version() + 1, next);
        ObjectNode item = CheckpointItem.of(advanced, clock.instant());
        long size = DynamoDbItemSize.of(item);
        if (size > DynamoDbItemSize.LIMIT) {
            throw new CheckpointTooLargeException(current.key(), size, DynamoDbItemSize.LIMIT);
        }
        ObjectNode put = JsonNodeFactory.instance.objectNode().put("TableName", table);
        put.set("Item", item);
        if (current.version() == 0) {
            put.put("ConditionExpression", "attribute_not_exists(#pk)");
            put.putObject("ExpressionAttributeNames").put("#pk", CheckpointItem.KEY);
        } else {
            put.put("ConditionExpression", "#v = :expected");
            put.putObject("ExpressionAttributeNames").put("#v", CheckpointItem.VERSION);
            put.putObject("ExpressionAttributeValues").set(":expected", CheckpointItem.number(current.version()));
        }
        try {
            putItem(put);
        } catch (AwsServiceException e) {
            if (CONDITIONAL_CHECK_FAILED.equals(e.awsErrorDetails().errorCode())) {
                throw new CheckpointConflictException(current.key(), current.version());
            }
            throw e;
        }
        return advanced;
    }

    private JsonNode getItem(String key) {
        ObjectNode get = JsonNodeFactory.instance.objectNode().put("TableName", table).put("ConsistentRead", true);
        get.putObject("Key").set(CheckpointItem.KEY, CheckpointItem.string(key));
        return dynamoDb.call("GetItem", get);
    }

    private void putItem(ObjectNode put) {
        dynamoDb.call("PutItem", put);
    }
}
