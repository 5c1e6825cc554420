package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.kinesis.OnFailureRange;

import java.math.BigInteger;

/**
 * The message the event source mapping sends to a Kinesis on-failure destination: metadata only, the shard and the
 * sequence range of a batch given up ({@code KinesisBatchInfo}), and why ({@code requestContext.condition}).
 */
record KinesisFailureMessage(OnFailureRange range, long batchSize, String condition, String requestId) {

    static KinesisFailureMessage parse(String body, ObjectMapper mapper) {
        JsonNode message;
        try {
            message = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        JsonNode info = message == null ? null : message.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            throw new IllegalArgumentException("no KinesisBatchInfo: not a Kinesis on-failure message");
        }
        JsonNode context = message.path("requestContext");
        OnFailureRange range = new OnFailureRange(text(info, "streamArn"), text(info, "shardId"),
                sequence(info, "startSequenceNumber"), sequence(info, "endSequenceNumber"));
        return new KinesisFailureMessage(range, info.path("batchSize").asLong(0),
                context.path("condition").asText(""), context.path("requestId").asText(""));
    }

    private static String text(JsonNode info, String field) {
        String value = info.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("KinesisBatchInfo." + field + " is missing");
        }
        return value;
    }

    private static BigInteger sequence(JsonNode info, String field) {
        String value = text(info, field);
        try {
            return new BigInteger(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("KinesisBatchInfo." + field + " is not a sequence number: " + value);
        }
    }
}
