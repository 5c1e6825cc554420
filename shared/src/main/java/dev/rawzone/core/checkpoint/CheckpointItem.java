package dev.rawzone.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint as a DynamoDB item, in DynamoDB's JSON: {@code pk} S, {@code version} N, {@code state} M of S,
 * {@code updated_at} S. Tables written before keep working: this is the format the SDK client wrote.
 */
final class CheckpointItem {
    static final String KEY = "pk";
    static final String VERSION = "version";
    static final String STATE = "state";
    static final String UPDATED_AT = "updated_at";

    private CheckpointItem() {
    }

    static ObjectNode of(Checkpoint checkpoint, Instant updatedAt) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        checkpoint.state().forEach((name, value) -> state.set(name, string(value)));
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.set(KEY, string(checkpoint.key()));
        item.set(VERSION, number(checkpoint.version()));
        item.putObject(STATE).set("M", state);
        item.set(UPDATED_AT, string(updatedAt.toString()));
        return item;
    }

    /**
     * The checkpoint in {@code item}, or {@link Checkpoint#absent} for a missing or empty item.
     *
     * @throws SdkClientException for a state value that is not a string, which no writer of this format wrote, as
     *                             for any answer of DynamoDB's that cannot be read
     */
    static Checkpoint from(String key, JsonNode item) {
        if (item.isMissingNode() || item.isEmpty()) {
            return Checkpoint.absent(key);
        }
        Map<String, String> state = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = item.path(STATE).path("M").fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue().path("S");
            if (!value.isTextual()) {
                throw SdkClientException.create("checkpoint " + key + ": state value " + entry.getKey()
                        + " is not a string but " + entry.getValue());
            }
            state.put(entry.getKey(), value.asText());
        }
        return new Checkpoint(key, Long.parseLong(item.path(VERSION).path("N").asText()), state);
    }

    static ObjectNode string(String value) {
        return JsonNodeFactory.instance.objectNode().put("S", value);
    }

    static ObjectNode number(long value) {
        return JsonNodeFactory.instance.objectNode().put("N", Long.toString(value));
    }
}
